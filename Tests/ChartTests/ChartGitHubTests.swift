import Foundation
import TestSupport
import KubeAPI
import Testing

/// The GitHub reporter's token in the chart: an existing Secret mounted read-only into the
/// operator, its file path in config.github.tokenFile; nothing of it without operator.githubToken.secretName.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartGitHubTests {
    static func config(_ objects: [JSONValue]) throws -> String {
        try #require(objects.object("ConfigMap", "codex-k8s-config")?[path: ["data", "config.yaml"]]?.stringValue)
    }

    @Test func tokenSecretIsMountedAndBecomesTheTokenFile() async throws {
        let objects = try await Helm.template(["operator.githubToken.secretName=gh-token", "operator.githubToken.key=pat",
                                               "config.github.apiURL=https://ghe.example.com/api/v3"])
        let text = try Self.config(objects)
        #expect(text.contains("github:\n  apiURL: https://ghe.example.com/api/v3\n  resync: 10m\n  tokenFile: /var/run/secrets/codex-k8s/github/pat\n"), "\(text)")
        let pod = try #require(objects.object("Deployment", "codex-k8s-operator")?[path: ["spec", "template", "spec"]])
        let mounts = pod[path: ["containers"]]?.arrayValue?.first?["volumeMounts"]?.arrayValue ?? []
        #expect(mounts.contains(["name": "github-token", "mountPath": "/var/run/secrets/codex-k8s/github", "readOnly": true]))
        let volumes = pod["volumes"]?.arrayValue ?? []
        #expect(volumes.contains(["name": "github-token",
                                  "secret": ["secretName": "gh-token", "items": [["key": "pat", "path": "pat"]]]]))
        // The webhook never gets the token.
        let webhook = try #require(objects.object("Deployment", "codex-k8s-webhook"))
        #expect(!"\(webhook)".contains("github-token"))

        // The rendered configuration is valid for the operator.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chart-gh-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let checked = try await Command.run(Command.codexK8s, ["validate-config", file.path])
        #expect(checked.status == 0, "\(checked.out)\(checked.err)")
    }

    @Test func withoutASecretReportingIsOff() async throws {
        let objects = try await Helm.template()
        #expect(!(try Self.config(objects)).contains("tokenFile"))
        let pod = try #require(objects.object("Deployment", "codex-k8s-operator")?[path: ["spec", "template", "spec"]])
        #expect(!"\(pod)".contains("github-token"))
    }

    @Test func tokenFileIsSetByTheChartOnly() async throws {
        let result = try await Helm.run(["template", "codex", Helm.chart, "--set", "config.github.tokenFile=/etc/token"])
        #expect(result.status != 0)
        #expect(result.err.contains("/config/github") && result.err.contains("tokenFile"), "\(result.err)")
    }
}

/// The GitHub alerts use the metric names the client exports.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartGitHubAlertTests {
    @Test func alertsUseTheClientsMetrics() async throws {
        let objects = try await Helm.template(["metrics.prometheusRule.enabled=true"])
        let rules = try #require(objects.object("PrometheusRule", "codex-k8s")?[path: ["spec", "groups"]]?.arrayValue?.first?["rules"]?.arrayValue)
        func expr(_ alert: String) -> String? { rules.first { $0["alert"]?.stringValue == alert }?["expr"]?.stringValue }
        #expect(expr("CodexK8sGitHubFailing")?.contains("codex_github_requests_total") == true)
        #expect(expr("CodexK8sGitHubFailing")?.contains("outcome=~\"unauthorized|unavailable\"") == true)
        #expect(expr("CodexK8sGitHubRateLimitLow")?.contains("codex_github_ratelimit_remaining") == true)
    }
}

import Foundation
import KubeAPI
import Testing
import TestSupport

/// The GitHub reporter's token in the chart (docs/github.md): off by default; with
/// `operator.githubToken.secretName` the Secret's key is mounted read-only in the operator pods
/// only, and config `github.tokenFile` names it (a valid configuration).
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartGitHubTokenTests {
    static func volumes(_ objects: [JSONValue], _ deployment: String) -> [JSONValue] {
        objects.object("Deployment", deployment)?[path: ["spec", "template", "spec", "volumes"]]?.arrayValue ?? []
    }

    @Test func reportingIsOffByDefault() async throws {
        let objects = try await Helm.template()
        let text = try #require(objects.object("ConfigMap", "codex-k8s-config")?[path: ["data", "config.yaml"]]?.stringValue)
        #expect(!text.contains("tokenFile"))
        #expect(!Self.volumes(objects, "codex-k8s-operator").contains { $0["name"]?.stringValue == "github-token" })
    }

    @Test func aTokenSecretIsMountedInTheOperatorAndNamedByTheConfig() async throws {
        let objects = try await Helm.template(["operator.githubToken.secretName=gh-app", "operator.githubToken.key=token",
                                               "config.github.apiURL=https://ghe.example.com/api/v3", "config.github.resync=5m"])
        let text = try #require(objects.object("ConfigMap", "codex-k8s-config")?[path: ["data", "config.yaml"]]?.stringValue)
        #expect(text.contains("tokenFile: /var/run/secrets/codex-k8s/github/token"), "\(text)")
        let volume = try #require(Self.volumes(objects, "codex-k8s-operator").first { $0["name"]?.stringValue == "github-token" })
        #expect(volume[path: ["secret", "secretName"]]?.stringValue == "gh-app")
        #expect(volume[path: ["secret", "items"]] == [["key": "token", "path": "token"]])
        let mounts = objects.object("Deployment", "codex-k8s-operator")?[path: ["spec", "template", "spec", "containers"]]?
            .arrayValue?.first?["volumeMounts"]?.arrayValue ?? []
        #expect(mounts.contains { $0["name"]?.stringValue == "github-token" && $0["readOnly"]?.boolValue == true })
        #expect(!Self.volumes(objects, "codex-k8s-webhook").contains { $0["name"]?.stringValue == "github-token" })
        // The rendered configuration is valid.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chart-gh-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let checked = try await Command.run(Command.codexK8s, ["validate-config", file.path])
        #expect(checked.status == 0, "\(checked.out)\(checked.err)")
        #expect(checked.out.contains("resync: 5m") && checked.out.contains("ghe.example.com"), "\(checked.out)")
    }

    @Test func aBadSecretNameIsRejectedBySchema() async throws {
        let result = try await Helm.run(["template", "codex", Helm.chart, "--set", "operator.githubToken.secretName=Not_A_Name"])
        #expect(result.status != 0)
        #expect(result.err.contains("/operator/githubToken/secretName"), "\(result.err)")
    }
}

import FakeGitHub
import Foundation
import KubeAPI
import KubeClient
import Operator
import Runs
import TestSupport
import Testing

/// `codex-k8s operator` with `github.tokenFile` configured (issue 13): the leader reports runs to
/// GitHub; the token appears nowhere in its output.
@Suite(.serialized) struct ReporterCommandTests {
    @Test func theOperatorReportsToGitHubWhenATokenFileIsConfigured() async throws {
        let gh = try await FakeGitHubServer.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("op-gh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokenFile = dir.appendingPathComponent("token").path
        try Data("\(FakeGitHubServer.defaultToken)\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
        let config = dir.appendingPathComponent("config.yaml").path
        try Data("github:\n  apiURL: \(gh.url)\n  tokenFile: \(tokenFile)\n  resync: 1m\n".utf8).write(to: URL(fileURLWithPath: config))
        do {
            try await OperatorHarness.with { h in
                let issue = gh.addIssue("acme/shop", labels: ["run:dev"])
                let child = try ChildProcess(codexK8s: ["operator", "--kubeconfig", h.kubeconfigPath, "--namespace", h.config.controlNamespace,
                                                        "--config", config, "--metrics-bind", "127.0.0.1:0", "--identity", "op-\(h.suffix)"])
                defer { child.kill() }
                let on = try #require(await child.line(containing: "GitHub reporting is on"))
                #expect(on.contains(gh.url) && !on.contains(FakeGitHubServer.defaultToken))
                let serving = try #require(await child.line(containing: "serving /healthz"))
                let fields = try #require(try JSONSerialization.jsonObject(with: Data(serving.utf8)) as? [String: Any])
                let port = try #require((fields["port"] as? String).flatMap(Int.init), "\(serving)")
                try await h.createRun("cli-gh-1", issue: Int64(issue))
                let reported = try await h.waitForRun("cli-gh-1", "comment on GitHub") { $0.status?.report?.commentID != nil }
                let comments = gh.comments("acme/shop", number: issue)
                #expect(comments.count == 1 && comments.first?.id == reported.status?.report?.commentID)
                #expect(comments.first?.body.hasPrefix(StatusComment.marker(run: "cli-gh-1")) == true)
                let metrics = try await OperatorCommandTests.get(port, "/metrics").1
                #expect(metrics.contains("codex_github_report_writes_total{kind=\"comment_created\"} 1"), "\(metrics)")
                child.terminate()
                #expect(await child.exitStatus() == 0)
                let out = await child.remainingLines() ?? []
                let err = (try? String(contentsOf: child.stderr, encoding: .utf8)) ?? ""
                #expect(!err.contains(FakeGitHubServer.defaultToken) && !out.contains { $0.contains(FakeGitHubServer.defaultToken) })
            }
        } catch {
            await gh.stop()
            throw error
        }
        await gh.stop()
    }
}

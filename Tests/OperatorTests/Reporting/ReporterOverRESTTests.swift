import FakeGitHub
import Foundation
import GitHub
import KubeAPI
import KubeRuntime
import Operator
import Runs
import Testing

/// The reporter with the real `GitHubRESTClient` against `FakeGitHubServer` over HTTP: the
/// contract between the two holds on the wire (pages, 404 after deletion, one comment).
@Suite(.serialized) struct ReporterOverRESTTests {
    @Test func oneCommentAcrossALostIdOnPageThreeAndADeletion() async throws {
        let server = try await FakeGitHubServer.start()
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("gh-\(UUID().uuidString)").path
        try Data(FakeGitHubServer.defaultToken.utf8).write(to: URL(fileURLWithPath: tokenFile))
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let github = GitHubRESTClient(options: GitHubClientOptions(apiURL: server.url, tokenFile: tokenFile))
        let issue = (1...12).map { _ in server.addIssue("acme/shop") }.last!
        for i in 0..<230 { server.addComment("acme/shop", number: issue, body: "comment \(i)") }
        let marker = StatusComment.marker(run: "rest-1")
        func statusComments() -> [FakeGitHubComment] {
            server.comments("acme/shop", number: issue).filter { $0.body.hasPrefix(marker) }
        }
        func start(_ h: OperatorHarness) -> (GitHubReporter, Task<Void, Never>) {
            let r = GitHubReporter(client: h.client, github: github, config: h.config, workers: 4,
                                   outageBackoff: PerKeyExponentialRateLimiter(base: .milliseconds(5), maximum: .seconds(1)),
                                   logger: OperatorHarness.quiet)
            return (r, Task { await r.controller.run() })
        }

        try await OperatorHarness.with { h in
            var (_, task) = start(h)
            try await h.createRun("rest-1", issue: Int64(issue))
            let pending = try await h.waitForReport("rest-1", "Pending")
            let id = try #require(pending.status?.report?.commentID)
            #expect(statusComments().map(\.id) == [id])
            task.cancel()
            await task.value

            // The id is lost; more comments arrive, so the status comment is now on page 3.
            try await h.setStatus("rest-1", ["report": .null, "phase": "Running"])
            for i in 0..<40 { server.addComment("acme/shop", number: issue, body: "later \(i)") }
            server.clearRequests()
            (_, task) = start(h)
            let running = try await h.waitForReport("rest-1", "Running")
            #expect(running.status?.report?.commentID == id)
            let gets = server.requests.filter { $0.method == "GET" }
            #expect(gets.map { $0.queryItem("page") }.suffix(2) == ["2", "3"])
            #expect(server.requests.contains { $0.method == "PATCH" && $0.path.hasSuffix("/issues/comments/\(id)") })
            #expect(statusComments().map(\.id) == [id])
            #expect(statusComments().first?.body.contains("Running") == true)

            // Deleted on GitHub: recreated once, the new id recorded.
            server.deleteComment(id: id)
            try await h.setStatus("rest-1", ["phase": "Succeeded"])
            let done = try await h.waitForReport("rest-1", "Succeeded")
            let recreated = try #require(done.status?.report?.commentID)
            #expect(recreated != id)
            #expect(statusComments().map(\.id) == [recreated])
            #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(FakeGitHubServer.defaultToken)" })
            let status = try await h.run("rest-1")
            #expect(!(status.status.map { "\($0)" } ?? "").contains(FakeGitHubServer.defaultToken))
            task.cancel()
            await task.value
        }
        await server.stop()
    }
}

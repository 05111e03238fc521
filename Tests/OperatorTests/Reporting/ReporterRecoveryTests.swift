import GitHub
import KubeAPI
import KubeClient
import KubeTestServer
import MetricsTestKit
import Operator
import Runs
import Testing

/// The reporter across restarts, lost ids, deleted comments, concurrency, rate limits and
/// outages (issue 13): never a second comment, nothing lost.
@Suite(.serialized) struct ReporterRecoveryTests {
    static func marker(_ run: String) -> String { StatusComment.marker(run: run) }

    @Test func aRestartedReporterEditsTheSameCommentFromStatus() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let first = h.startReporter(github)
            try await h.createRun("r-1", issue: 11)
            try await h.waitForReport("r-1", "Pending")
            await first.stop()
            try await h.setStatus("r-1", ["phase": "Running"])
            let second = h.startReporter(github)
            try await h.waitForReport("r-1", "Running")
            await second.settle()
            #expect(github.calls("createComment").count == 1)
            #expect(github.calls("listComments").count == 1) // the id came from status: no scan
            #expect(github.comments("acme/shop", 11, startingWith: Self.marker("r-1")).count == 1)
            await second.stop()
        }
    }

    @Test func aLostIdIsRecoveredByScanningEveryPageTheCommentIsOnPageThree() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub(pageSize: 100)
            github.seed(repository: "acme/shop", number: 12, bodies: (0..<200).map { "comment \($0)" })
            let first = h.startReporter(github)
            try await h.createRun("lost-1", issue: 12)
            let reported = try await h.waitForReport("lost-1", "Pending")
            let id = try #require(reported.status?.report?.commentID)
            await first.stop()
            // The id is lost (status restored from a backup, a crash before the status write …).
            try await h.setStatus("lost-1", ["report": .null, "phase": "Running"])
            github.seed(repository: "acme/shop", number: 12, bodies: (0..<40).map { "later \($0)" })
            let second = h.startReporter(github)
            let running = try await h.waitForReport("lost-1", "Running")
            #expect(running.status?.report?.commentID == id)
            #expect(github.calls("createComment").count == 1)
            #expect(github.pagesServed.last == 3) // 241 comments, 100 a page: the marker is on page 3
            #expect(github.comments("acme/shop", 12, startingWith: Self.marker("lost-1")).count == 1)
            await second.stop()
        }
    }

    @Test func aDeletedCommentIsRecreatedOnce() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let rep = h.startReporter(github)
            try await h.createRun("del-1", issue: 13)
            let reported = try await h.waitForReport("del-1", "Pending")
            let old = try #require(reported.status?.report?.commentID)
            github.delete(commentID: old)
            try await h.setStatus("del-1", ["phase": "Running"])
            let running = try await h.waitForReport("del-1", "Running")
            let recreated = try #require(running.status?.report?.commentID)
            #expect(recreated != old)
            let live = github.comments("acme/shop", 13, startingWith: Self.marker("del-1"))
            #expect(live.map(\.id) == [recreated] && live.first?.body.contains("**Running**") == true)
            #expect(github.calls("createComment").count == 2)
            await rep.stop()
        }
    }

    @Test func fiftyRunsReconciledConcurrentlyGetExactlyOneCommentEach() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let rep = h.startReporter(github, workers: 8)
            let names = (1...50).map { "many-\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, name) in names.enumerated() {
                    group.addTask { try await h.createRun(name, issue: Int64(100 + i % 5)) }
                    group.addTask { for _ in 0..<10 { rep.reporter.requeueAll() } }
                }
                try await group.waitForAll()
            }
            for name in names { try await h.waitForReport(name, "Pending") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in names {
                    group.addTask { try await h.setStatus(name, ["phase": "Running"]) }
                    group.addTask { rep.reporter.requeueAll() }
                }
                try await group.waitForAll()
            }
            for name in names { try await h.waitForReport(name, "Running") }
            await rep.settle()
            #expect(github.calls("createComment").count == 50)
            #expect(github.calls("updateComment").count == 50)
            for (i, name) in names.enumerated() {
                #expect(github.comments("acme/shop", 100 + i % 5, startingWith: Self.marker(name)).count == 1, "\(name)")
            }
            await rep.stop()
        }
    }

    @Test(arguments: [("primary or 429", 120.0), ("secondary limit", 61.0)])
    func aRateLimitPausesEveryCallUntilRetryAfterHasPassed(_ kind: String, _ retryAfter: Double) async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let clock = SteppedClock()
            let metrics = TestMetrics()
            github.fail(next: [.rateLimited(retryAfter: retryAfter)])
            let rep = h.startReporter(github, workers: 1, clock: clock, metrics: metrics)
            try await h.createRun("rl-1", issue: 14)
            try await h.createRun("rl-2", issue: 15)
            await github.waitForCalls(1)
            await rep.settle()
            // The gate is closed: another run, a redelivery, a requeue — no call reaches GitHub.
            rep.reporter.requeueAll()
            await rep.settle()
            #expect(github.calls.count == 1, "\(kind)")
            clock.advance(seconds: Int64(retryAfter) - 1)
            rep.reporter.requeueAll()
            await rep.settle()
            #expect(github.calls.count == 1, "\(kind)")
            clock.advance(seconds: 2)
            rep.reporter.requeueAll()
            try await h.waitForReport("rl-1", "Pending")
            try await h.waitForReport("rl-2", "Pending")
            #expect(github.calls("createComment").count == 2)
            #expect(try metrics.expectCounter("codex_github_report_failures_total", [("error", "rate_limited")]).totalValue == 1)
            await rep.stop()
        }
    }

    @Test func aGitHubOutageIsRetriedWithBackoffAndCounted() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let metrics = TestMetrics()
            github.fail(next: Array(repeating: .unavailable("502 Bad Gateway"), count: 4))
            let rep = h.startReporter(github, metrics: metrics)
            try await h.createRun("out-1", issue: 16)
            try await h.waitForReport("out-1", "Pending")
            #expect(github.calls("createComment").count == 1)
            #expect(github.comments("acme/shop", 16).count == 1)
            #expect(try metrics.expectCounter("codex_github_report_failures_total", [("error", "unavailable")]).totalValue == 4)
            #expect(try metrics.expectCounter("codex_github_report_writes_total", [("kind", "comment_created")]).totalValue == 1)
            await rep.stop()
        }
    }
}

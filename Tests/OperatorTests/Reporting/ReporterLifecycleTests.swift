import KubeAPI
import KubeClient
import KubeRuntime
import Operator
import Runs
import Testing

/// The reporter next to the real reconcilers (issue 13): a run driven through its whole life by
/// the operator gets one comment, edited per phase it reported, ending with the namespace's fate.
@Suite(.serialized) struct ReporterLifecycleTests {
    @Test func aRunThroughItsLifeKeepsOneCommentEndingWithTheNamespaceKeptUntilItsLease() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let leases = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: h.clock.closure,
                                               logger: OperatorHarness.quiet)
            let leaseTask = Task { await leases.controller.run() }
            let op = h.startOperator()
            let rep = h.startReporter(github)
            try await h.createRun("life-1", issue: 21, stage: .plan)
            let admitted = try await h.waitForRun("life-1", "a namespace") { $0.status?.namespace != nil }
            try await h.podRunning(admitted)
            try await h.waitForReport("life-1", "Running")
            let running = try #require(github.comments("acme/shop", 21).first?.body)
            #expect(running.contains("**Running**") && running.contains("Namespace: `\(admitted.status?.namespace ?? "")`"))
            try await h.podFinished(admitted, exitCode: 0)
            let done = try await h.waitForRun("life-1", "success reported") {
                $0.status?.report?.state(of: .comment)?.hasPrefix("Succeeded|Completed|") == true
                    && $0.status?.report?.state(of: .comment)?.contains("|kept:20") == true
                    && $0.status?.report?.state(of: .issueLabels) == "state:in-review"
            }
            let comments = github.comments("acme/shop", 21)
            #expect(comments.count == 1)
            #expect(comments.first?.id == done.status?.report?.commentID)
            let body = try #require(comments.first?.body)
            #expect(body.contains("✅ **Succeeded** (`Completed`)") && body.contains(", kept until 20"))
            #expect(github.calls("createComment").count == 1)
            #expect(github.labels("acme/shop", 21) == ["state:in-review"])
            // The reporter's status writes did not disturb the reconciler: the run is settled.
            await op.settle()
            await rep.settle()
            let settled = github.calls.count
            op.runtime.requeueAll()
            rep.reporter.requeueAll()
            await op.settle()
            await rep.settle()
            #expect(github.calls.count == settled)
            await rep.stop()
            await op.stop()
            leaseTask.cancel()
            await leaseTask.value
        }
    }
}

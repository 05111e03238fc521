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
            // Wired as `codex-k8s operator` wires them: one AgentRun and one RunNamespace cache for all three.
            var wired: (NamespaceLeaseRuntime, RunningReporter)?
            let op = h.startOperator(wire: { runtime in
                let leases = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: h.clock.closure,
                                                   logger: OperatorHarness.quiet, sharing: runtime)
                wired = (leases, h.startReporter(github, sharing: (runtime.controller, leases.controller)))
            })
            let (leases, rep) = wired!
            let leaseTask = Task { await leases.controller.run() }
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
            if let server = h.server {
                #expect(server.requests.count(verb: "list", resource: "agentruns.codex-k8s.dev") == 1)
                #expect(server.requests.count(verb: "list", resource: "runnamespaces.codex-k8s.dev") == 1)
            }
            await rep.stop()
            await op.stop()
            leaseTask.cancel()
            await leaseTask.value
        }
    }
}

/// Reporting never blocks reconciling, and the resync stops on shutdown (issue 13).
@Suite(.serialized) struct ReporterIsolationTests {
    @Test func aHangingGitHubNeverDelaysTheReconciler() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            github.hold()
            let op = h.startOperator()
            let rep = h.startReporter(github, workers: 2)
            try await h.createRun("hang-1", issue: 31)
            try await h.createRun("hang-2", issue: 32)
            let admitted = try await h.waitForRun("hang-1", "a namespace") { $0.status?.namespace != nil }
            try await h.podRunning(admitted)
            _ = try await h.waitForPhase("hang-1", .running)
            await github.waitUntil { $0.held.count == 2 } // both reporter workers are stuck on GitHub
            #expect(github.comments("acme/shop", 31).isEmpty)
            github.release()
            try await h.waitForReport("hang-1", "Running")
            try await h.waitForReport("hang-2", "")
            #expect(github.calls("createComment").count == 2)
            await rep.stop()
            await op.stop()
        }
    }

    @Test(.timeLimit(.minutes(2))) func theResyncLoopPassesAtOnceAndEndsOnShutDown() async throws {
        try await OperatorHarness.with(customize: { $0.webhook.allowedRepositories = ["acme/shop"] }) { h in
            let github = InMemoryGitHub()
            let reporter = GitHubReporter(client: h.client, github: github, config: h.config, resyncInterval: .seconds(3600),
                                          logger: OperatorHarness.quiet)
            let resync = try #require(reporter.resync)
            #expect(reporter.controllers.map(\.name) == ["github-reporter", "github-resync"])
            let caches = Task { await resync.runCaches() }
            let workers = Task { await resync.runWorkers() }
            await github.waitUntil { $0.calls.contains { $0.method == "listOpenIssues" } }
            resync.shutDown()
            await workers.value // returns although the next pass is an hour away
            #expect(github.calls("listOpenIssues").count == 1)
            caches.cancel()
            await caches.value
        }
    }
}

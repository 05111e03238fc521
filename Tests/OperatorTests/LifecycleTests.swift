import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Testing

/// The run lifecycle over HTTP: every phase transition and reason (SPEC §5).
@Suite(.serialized) struct LifecycleTests {
    @Test func aRunIsProvisionedRunsAndSucceedsAndAnUnchangedRunCausesNoWrites() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            try await h.createRun("ok-1")
            let provisioning = try await h.waitForRun("ok-1", "provisioned") {
                $0.status?.phase == .provisioning && $0.metadata.finalizers == ["codex-k8s.dev/cleanup"]
            }
            let status = try #require(provisioning.status)
            #expect(status.mode == .fullEnv && status.model == "gpt-5-codex" && status.reasoning == .medium)
            #expect(status.profileSource == ProfileSources(model: .default, reasoning: .default))
            #expect(status.namespace?.hasPrefix(h.config.namespacePrefix + "-acme-shop-42-dev-") == true)
            #expect(status.jobName == "ok-1")
            #expect(status.conditions?.first { $0.type == "Admitted" }?.status == "True")

            try await h.podRunning(provisioning)
            let running = try await h.waitForPhase("ok-1", .running)
            #expect(running.status?.startedAt != nil)
            #expect(running.status?.conditions?.map(\.type).sorted() == ["Admitted", "Provisioned", "Ready"])
            #expect(running.status?.conditions?.allSatisfy { $0.status == "True" && $0.observedGeneration == running.metadata.generation } == true)
            #expect(try await h.objects(of: running) == OperatorHarness.oneOfEach)

            // A second run of the same repository+issue waits behind the first.
            try await h.createRun("ok-2")
            let queued = try await h.waitForPhase("ok-2", .pending, reason: .queuedBehindActiveRun)
            #expect(queued.status?.message == "waiting for AgentRun ok-1 of the same repository and issue to finish")
            #expect(queued.status?.conditions?.first { $0.type == "Admitted" }?.status == "False")

            // Steady state: reconciling unchanged runs (Running, Pending) writes nothing.
            if let server = h.server {
                await op.settle()
                server.requests.reset()
                op.runtime.requeueAll()
                await op.settle()
                #expect(server.requests.writes() == 0, "\(server.requests.all.filter { $0.verb != "get" && $0.verb != "list" && $0.verb != "watch" })")
            }

            try await h.podFinished(running, exitCode: 0)
            let done = try await h.waitForPhase("ok-1", .succeeded, reason: .completed)
            #expect(done.status?.finishedAt != nil)
            #expect(done.status?.conditions?.first { $0.type == "Ready" }?.status == "False")
            // The slot of the repository+issue is free: the queued run is admitted.
            _ = try await h.waitForPhase("ok-2", .provisioning)
            await op.settle() // the audit event follows the status write in the same reconcile
            #expect(h.audit.names(run: "ok-1") == ["run.namespace.prepared", "run.started", "run.succeeded"])
            await op.stop()
        }
    }

    @Test func conflictingProfileLabelsFailAtOnceWithoutANamespace() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            try await h.createRun("conflict-1", labels: [RunLabel(name: "[ai-model-gpt-5]", scope: .issue),
                                                         RunLabel(name: "ai-model-o3", scope: .issue)])
            let failed = try await h.waitForPhase("conflict-1", .failed, reason: .failedPrecondition)
            #expect(failed.status?.message?.contains("[ai-model-gpt-5]") == true)
            #expect(failed.status?.message?.contains("ai-model-o3") == true)
            #expect(failed.status?.namespace == nil)
            let namespaces = try await h.client.list(Namespace.self, options: ListOptions(labelSelector: "\(RunLabels.run)=conflict-1"))
            #expect(namespaces.items.isEmpty)
            await op.settle() // the audit event follows the status write in the same reconcile
            #expect(h.audit.names(run: "conflict-1") == ["run.failed.precondition"])
            // A catalog miss too.
            try await h.createRun("catalog-1", issue: 43, labels: [RunLabel(name: "ai-model-gpt-4", scope: .pullRequest)])
            let miss = try await h.waitForPhase("catalog-1", .failed, reason: .failedPrecondition)
            #expect(miss.status?.message?.contains("\"gpt-4\"") == true)
            await op.stop()
        }
    }

    @Test func aFailedContainerFailsTheRunWithItsMessage() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let run = try await h.waitForPhase(try await h.createRun("fail-1").metadata.name!, .provisioning)
            try await h.podRunning(run)
            _ = try await h.waitForPhase("fail-1", .running)
            try await h.podFinished(run, exitCode: 3, message: "tests failed")
            let failed = try await h.waitForPhase("fail-1", .failed, reason: .jobFailed)
            #expect(failed.status?.message == "container agent exited with code 3 (Error): tests failed")
            await op.stop()
        }
    }

    @Test(arguments: [("ImagePullBackOff", AgentRunReason.imagePullBackOff), ("ErrImagePull", .imagePullBackOff),
                      ("CrashLoopBackOff", .crashLoopBackOff), ("CreateContainerConfigError", .createContainerConfigError)])
    func backOffsFailTheRunAfterTheGrace(_ waiting: String, _ reason: AgentRunReason) async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let name = "stuck-\(waiting.lowercased())"
            let run = try await h.waitForPhase(try await h.createRun(name).metadata.name!, .provisioning)
            try await h.podWaiting(run, reason: waiting, message: "it is stuck", since: KubeTime(h.clock.now))
            // Within the grace nothing happens.
            h.clock.advance(seconds: 60)
            op.runtime.requeueAll()
            await op.settle()
            #expect(try await h.run(name).status?.phase == .provisioning)
            h.clock.advance(seconds: 61)
            op.runtime.requeueAll()
            let failed = try await h.waitForPhase(name, .failed, reason: reason)
            #expect(failed.status?.message == "container agent: \(waiting): it is stuck (for more than 2m)")
            try await h.waitUntil("the Job is deleted", watching: Job.self, namespace: run.status?.namespace) {
                try await h.client.list(Job.self, namespace: run.status?.namespace ?? "").items.isEmpty
            }
            await op.stop()
        }
    }

    @Test func aDeletedJobFailsARunningRunWithJobNotFound() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let run = try await h.waitForPhase(try await h.createRun("gone-1").metadata.name!, .provisioning)
            try await h.podRunning(run)
            _ = try await h.waitForPhase("gone-1", .running)
            try await h.client.delete(Job.self, namespace: run.status?.namespace, name: "gone-1",
                                      options: DeleteOptions(propagationPolicy: .background))
            let failed = try await h.waitForPhase("gone-1", .failed, reason: .jobNotFound)
            #expect(failed.status?.message?.contains("no longer exists") == true)
            await op.stop()
        }
    }

    @Test func waitingStopsTheTimeoutClockAndTheTimeoutEndsTheJob() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let run = try await h.waitForPhase(try await h.createRun("wait-1", timeout: .hours(1)).metadata.name!, .provisioning)
            try await h.podRunning(run)
            _ = try await h.waitForPhase("wait-1", .running)
            h.clock.advance(seconds: 1800)
            _ = try await h.client.patch(AgentRun.self, namespace: h.config.controlNamespace, name: "wait-1",
                                         .merge(["metadata": ["annotations": ["codex-k8s.dev/wait": "mcp"]]]))
            _ = try await h.waitForPhase("wait-1", .waiting, reason: .waitingMCP)
            // Five hours of waiting: never a timeout.
            h.clock.advance(seconds: 5 * 3600)
            op.runtime.requeueAll()
            await op.settle()
            #expect(try await h.run("wait-1").status?.phase == .waiting)
            _ = try await h.client.patch(AgentRun.self, namespace: h.config.controlNamespace, name: "wait-1",
                                         .merge(["metadata": ["annotations": ["codex-k8s.dev/wait": "owner-review"]]]))
            _ = try await h.waitForPhase("wait-1", .waiting, reason: .waitingOwnerReview)
            _ = try await h.client.patch(AgentRun.self, namespace: h.config.controlNamespace, name: "wait-1",
                                         .merge(["metadata": ["annotations": ["codex-k8s.dev/wait": .null]]]))
            let resumed = try await h.waitForPhase("wait-1", .running)
            #expect(resumed.status?.waitedSeconds == Int64(5 * 3600))
            // 30 min ran before the wait; 29 more are still inside the hour.
            h.clock.advance(seconds: 29 * 60)
            op.runtime.requeueAll()
            await op.settle()
            #expect(try await h.run("wait-1").status?.phase == .running)
            h.clock.advance(seconds: 61)
            op.runtime.requeueAll()
            let failed = try await h.waitForPhase("wait-1", .failed, reason: .deadlineExceeded)
            #expect(failed.status?.waitedSeconds == Int64(5 * 3600))
            try await h.waitUntil("the Job is deleted", watching: Job.self, namespace: run.status?.namespace) {
                try await h.client.list(Job.self, namespace: run.status?.namespace ?? "").items.isEmpty
            }
            await op.settle() // the audit event follows the status write in the same reconcile
            #expect(h.audit.names(run: "wait-1") == ["run.namespace.prepared", "run.started", "run.wait.paused",
                                                     "run.wait.resumed", "run.failed"])
            await op.stop()
        }
    }

    @Test func cancelAndDeletionDeleteTheJobAndItsPods() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let a = try await h.waitForPhase(try await h.createRun("cancel-1").metadata.name!, .provisioning)
            let b = try await h.waitForPhase(try await h.createRun("delete-1", issue: 7).metadata.name!, .provisioning)
            try await h.podRunning(a)
            try await h.podRunning(b)
            _ = try await h.waitForPhase("cancel-1", .running)
            _ = try await h.client.patch(AgentRun.self, namespace: h.config.controlNamespace, name: "cancel-1",
                                         .merge(["spec": ["cancel": true]]))
            let cancelled = try await h.waitForPhase("cancel-1", .cancelled, reason: .cancelRequested)
            #expect(cancelled.metadata.finalizers == ["codex-k8s.dev/cleanup"])
            for run in [a, b] where run.metadata.name == "cancel-1" || run.metadata.name == "delete-1" {
                if run.metadata.name == "delete-1" {
                    _ = try await h.waitForPhase("delete-1", .running)
                    try await h.client.delete(AgentRun.self, namespace: h.config.controlNamespace, name: "delete-1")
                    try await h.waitUntil("delete-1 is gone", watching: AgentRun.self, namespace: h.config.controlNamespace) {
                        do { _ = try await h.run("delete-1"); return false } catch { return (error as? KubeError)?.isNotFound == true }
                    }
                }
                let ns = run.status?.namespace ?? ""
                try await h.waitUntil("the Job and pods of \(run.metadata.name!) are gone", watching: Pod.self, namespace: run.status?.namespace) {
                    let jobs = try await h.client.list(Job.self, namespace: ns).items
                    let pods = try await h.client.list(Pod.self, namespace: ns).items
                    return jobs.isEmpty && pods.isEmpty
                }
            }
            await op.settle() // the audit event follows the status write in the same reconcile
            #expect(h.audit.names(run: "delete-1").last == "run.canceled")
            await op.stop()
        }
    }
}

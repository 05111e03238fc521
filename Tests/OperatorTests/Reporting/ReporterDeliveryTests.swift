import GitHub
import KubeAPI
import KubeClient
import Operator
import Runs
import Testing
import Webhook

/// Redeliveries and the resync next to the reporter (issue 13): whatever delivers a trigger how
/// often, there is one run and one comment.
@Suite(.serialized) struct ReporterDeliveryTests {
    @Test func redeliveriesAndAResyncOfOneTriggerMakeOneRunAndOneComment() async throws {
        try await OperatorHarness.with(customize: { $0.webhook.allowedRepositories = ["acme/shop"] }) { h in
            let github = InMemoryGitHub()
            github.setOpenIssues("acme/shop", [GitHubIssue(number: 41, title: "t", labels: ["run:dev"], isPullRequest: false)])
            let cache = AgentRunCache(client: h.client, namespace: h.config.controlNamespace, logger: OperatorHarness.quiet)
            let cacheTask = Task { await cache.run() }
            await cache.store.waitUntilReady()
            let executor = DeliveryExecutor(client: h.client, namespace: h.config.controlNamespace, cache: cache,
                                            closeGrace: h.config.graces.closeGrace, logger: OperatorHarness.quiet)
            let spec = AgentRunSpec(repository: "acme/shop", issue: 41, stage: .dev,
                                    labels: [RunLabel(name: "run:dev", scope: .issue)],
                                    trigger: RunTrigger(source: .github, deliveryID: "d-1", event: "issues", action: "labeled",
                                                        label: "run:dev", sender: "alice"))
            // GitHub redelivers the same delivery (same id) 20 times at once; a second delivery of the same trigger too.
            let outcomes = await withTaskGroup(of: ExecutionOutcome.self) { group in
                for i in 0..<20 { group.addTask { await executor.create(spec, deliveryID: i == 0 ? "d-2" : "d-1") } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .created = $0 { true } else { false } }.count == 1)
            let rep = h.startReporter(github)
            let reporter = GitHubReporter(client: h.client, github: github, config: h.config, resyncInterval: .seconds(3600),
                                          logger: OperatorHarness.quiet)
            let resync = try #require(reporter.resync)
            let resyncCaches = Task { await resync.runCaches() }
            await resync.waitForCache()
            #expect(await resync.resyncOnce().created.isEmpty)
            let runs = try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items
            #expect(runs.count == 1)
            let name = try #require(runs.first?.metadata.name)
            try await h.waitForReport(name, "Pending")
            await rep.settle()
            #expect(github.comments("acme/shop", 41).count == 1)
            #expect(github.calls("createComment").count == 1)
            await rep.stop()
            resyncCaches.cancel()
            await resyncCaches.value
            cacheTask.cancel()
            await cacheTask.value
        }
    }
}

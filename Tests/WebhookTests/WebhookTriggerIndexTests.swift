import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import Webhook

/// The cache's duplicate check goes through the trigger index (`TriggerIndex`): it must see runs
/// created by hand (no trigger label, so the label-selected LIST cannot), follow their changes,
/// and forget deleted ones.
@Suite struct WebhookTriggerIndexTests {
    @Test func aRunCreatedByHandIsADuplicateUntilCancelledOrDeleted() async throws {
        try await WebhookHarness.with { h in
            let key = TriggerKey(repository: "acme/shop", issue: 42, stage: .dev, revise: false)
            // By hand: no labels at all, the repository spelled with other capitals.
            let byHand = AgentRun(metadata: ObjectMeta(name: "by-hand", namespace: WebhookHarness.namespace),
                                  spec: AgentRunSpec(repository: "Acme/Shop", issue: 42, stage: .dev))
            _ = try await h.client.create(byHand)
            try await h.waitForCache("cache indexes the run") { h.service.cache.activeRuns(key).count == 1 }
            let payload = GitHubPayloads.issues("labeled", label: "run:dev")
            let dup = try await h.deliver("issues", payload)
            #expect(dup.code == 200 && dup.reason == "active_run_exists" && dup.run == "by-hand", "\(dup)")
            #expect(try await h.runs().count == 1)

            // Cancel requested: no longer active, so the trigger creates a run.
            _ = try await h.client.patch(AgentRun.self, namespace: WebhookHarness.namespace, name: "by-hand",
                                         .merge(["spec": ["cancel": true]]))
            try await h.waitForCache("cache sees the cancel") { h.service.cache.activeRuns(key).isEmpty }
            let created = try await h.deliver("issues", payload)
            #expect(created.code == 202, "\(created)")
            let name = try #require(created.run)
            try await h.waitForCache("cache indexes the new run") { h.service.cache.activeRuns(key).map(\.metadata.name) == [name] }

            // Deleted (the adapter creates runs with the operator's finalizer: removed, as the operator
            // would): the index forgets it.
            _ = try await h.client.delete(AgentRun.self, namespace: WebhookHarness.namespace, name: name)
            _ = try await h.client.patch(AgentRun.self, namespace: WebhookHarness.namespace, name: name,
                                         .merge(["metadata": ["finalizers": .null]]))
            try await h.waitForCache("cache drops the run") { h.service.cache.get(name: name, namespace: WebhookHarness.namespace) == nil }
            try await h.waitForCache("cache forgets the run") { h.service.cache.activeRuns(key).isEmpty }
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import Webhook

/// Exactly-once run creation (SPEC §4): by delivery id, and by trigger while a run is active.
@Suite struct WebhookDedupTests {
    @Test func redeliveryAnswersDuplicateAndKeepsOneRun() async throws {
        try await WebhookHarness.with { h in
            let id = UUID().uuidString
            let payload = GitHubPayloads.issues("labeled", label: "run:plan")
            let first = try await h.deliver("issues", payload, id: id)
            #expect(first.code == 202, "\(first)")
            let again = try await h.deliver("issues", payload, id: id)
            #expect(again.code == 200 && again.status == "duplicate" && again.run == first.run, "\(again)")
            #expect(try await h.runs().count == 1)
            #expect(h.audit.names(delivery: id).contains("webhook.duplicate"))
            // Still a duplicate by name after the run finished (the trigger check no longer applies).
            try await finish(h, try #require(first.run))
            try await h.waitForCache("cache sees the phase") {
                h.service.cache.get(name: first.run!, namespace: WebhookHarness.namespace)?.status?.phase == .succeeded
            }
            let late = try await h.deliver("issues", payload, id: id)
            #expect(late.code == 200 && late.status == "duplicate" && late.reason == "delivery_already_processed", "\(late)")
            #expect(try await h.runs().count == 1)
        }
    }

    @Test func fiftyConcurrentIdenticalDeliveriesMakeOneRun() async throws {
        try await WebhookHarness.with { h in
            let id = UUID().uuidString
            let payload = GitHubPayloads.issues("labeled", label: "run:dev")
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for _ in 0..<50 { group.addTask { try await h.deliver("issues", payload, id: id) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.code == 202 }.count == 1, "\(answers.map(\.description))")
            #expect(answers.filter { $0.code == 200 && $0.status == "duplicate" }.count == 49)
            #expect(try await h.runs().count == 1)
        }
    }

    @Test func fiftyConcurrentDeliveriesOfOneTriggerMakeOneActiveRun() async throws {
        try await WebhookHarness.with { h in
            let payload = GitHubPayloads.issues("labeled", label: "run:dev")
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for _ in 0..<50 { group.addTask { try await h.deliver("issues", payload) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.code == 202 }.count == 1, "\(answers.map(\.description))")
            let dups = answers.filter { $0.status == "duplicate" }
            #expect(dups.count == 49)
            #expect(dups.allSatisfy { $0.reason == "active_run_exists" })
            #expect(try await h.runs().count == 1)
            // After the run finished, the same trigger starts a new one.
            let run = try #require(answers.first { $0.code == 202 }?.run)
            try await finish(h, run)
            try await h.waitForCache("cache sees the phase") {
                h.service.cache.get(name: run, namespace: WebhookHarness.namespace)?.status?.phase == .succeeded
            }
            let next = try await h.deliver("issues", payload)
            #expect(next.code == 202, "\(next)")
            #expect(try await h.runs().count == 2)
        }
    }

    @Test func differentTriggersOfOneIssueAreNotDuplicates() async throws {
        try await WebhookHarness.with { h in
            let dev = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev"))
            let revise = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev:revise"))
            let qa = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:qa"))
            let other = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: 43, label: "run:dev"))
            #expect([dev, revise, qa, other].allSatisfy { $0.code == 202 }, "\([dev, revise, qa, other])")
            #expect(try await h.runs().count == 4)
        }
    }

    /// The watch cache frozen after its first list (the worst lag): 50 concurrent creates of one
    /// trigger with different delivery ids still make exactly one run (lock + label-selected LIST).
    @Test func frozenCacheStillMakesOneRunPerTrigger() async throws {
        try await WebhookHarness.with { h in
            let frozen = AgentRunCache(client: h.client, namespace: WebhookHarness.namespace, logger: WebhookHarness.quiet)
            let task = Task { await frozen.run() }
            try await h.waitForCache("frozen cache synced", on: frozen.changes) { frozen.isSynced }
            task.cancel()
            await task.value
            let executor = DeliveryExecutor(client: h.client, namespace: WebhookHarness.namespace, cache: frozen,
                                            closeGrace: .minutes(30), logger: WebhookHarness.quiet)
            let spec = AgentRunSpec(repository: "acme/shop", issue: 9, stage: .qa, trigger: RunTrigger(source: .github))
            let outcomes = await withTaskGroup(of: ExecutionOutcome.self) { group in
                for i in 0..<50 { group.addTask { await executor.create(spec, deliveryID: "delivery-\(i)") } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { if case .created = $0 { true } else { false } }
            #expect(created.count == 1, "\(outcomes)")
            #expect(frozen.store.count == 0, "the cache never saw the run")
            #expect(try await h.runs().count == 1)
        }
    }

    /// Marks a run Succeeded through the status subresource (what the operator would do).
    func finish(_ h: WebhookHarness, _ name: String) async throws {
        _ = try await h.client.patchStatus(AgentRun.self, namespace: WebhookHarness.namespace, name: name,
                                           .merge(["status": ["phase": "Succeeded", "reason": "Completed"]]))
    }
}

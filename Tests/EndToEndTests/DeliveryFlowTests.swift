import Foundation
import KubeAPI
import Runs
import Testing

extension EndToEndTests {
    /// From a signed GitHub delivery to a finished run (SPEC §1 flow 3, §4, §5, §8).
    @Suite struct DeliveryFlowTests {
        /// (1) `run:dev` on an issue → AgentRun → Running → Succeeded; the audit has the delivery,
        /// the run's events and its row.
        @Test func runDevDeliveryRunsToSucceededWithItsAuditTrail() async throws {
            try await Cluster.with { c in
                let delivery = GitHubDelivery.issueLabeled(repository: Cluster.repository, issue: 42, label: "run:dev",
                                                           labels: ["run:dev"])
                let answer = try await c.deliver(delivery)
                #expect(answer.code == 202 && answer.status == "accepted", "\(answer)")
                let name = try #require(answer.run, "\(answer)")
                let created = try await c.run(name)
                #expect(created.spec.repository == Cluster.repository && created.spec.issue == 42 && created.spec.stage == .dev)
                #expect(created.spec.trigger?.deliveryID == delivery.id && created.spec.trigger?.label == "run:dev")

                let pod = try await c.agentPod(of: name)
                try await c.startAgent(pod)
                let running = try await c.waitForPhase(name, .running)
                #expect(running.status?.namespace == pod.namespace)
                // What §1 promises the user sees.
                let shown = try await c.kubectl.must(["get", "agentruns", name, "-o", "jsonpath={.status.phase}"])
                #expect(shown == "Running")
                try await c.finishAgent(pod)
                let done = try await c.waitForPhase(name, .succeeded)
                #expect(done.status?.finishedAt != nil)

                guard let audit = c.audit else { return }
                try await audit.waitFor("webhook.received", containing: [delivery.id])
                for event in ["run.namespace.prepared", "run.started", "run.succeeded"] {
                    try await audit.waitFor(event, run: name)
                }
                try await eventually("the delivery and run rows") {
                    let delivered = try await audit.query("SELECT outcome, run FROM webhook_deliveries WHERE delivery_id = '\(delivery.id)'")
                    let run = try await audit.query("SELECT phase, namespace, stage FROM agent_runs WHERE name = '\(name)'")
                    return delivered == [["accepted", name]] && run == [["Succeeded", pod.namespace, "dev"]]
                }
            }
        }

        /// (2) The same delivery again (GitHub redelivers on a timeout) → 200 duplicate, still one run.
        @Test func redeliveryMakesNoSecondRun() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let delivery = GitHubDelivery.issueLabeled(repository: Cluster.repository, issue: 7, label: "run:dev",
                                                           labels: ["run:dev"])
                let first = try await c.deliver(delivery)
                #expect(first.code == 202, "\(first)")
                let again = try await c.deliver(delivery)
                #expect(again.code == 200 && again.status == "duplicate" && again.run == first.run, "\(again)")
                // A second trigger of the same key while the run is active is a duplicate too.
                let second = GitHubDelivery.issueLabeled(repository: Cluster.repository, issue: 7, label: "run:dev", labels: ["run:dev"])
                let other = try await c.deliver(second)
                #expect(other.code == 200 && other.status == "duplicate" && other.run == first.run, "\(other)")
                let runs = try await c.admin.list(AgentRun.self, namespace: Cluster.namespace)
                #expect(runs.items.map(\.metadata.name) == [first.run])
                // Deliveries by outcome (SPEC §9).
                let counted = try await c.webhookMetrics().split(separator: "\n").filter { $0.hasPrefix("codex_webhook_deliveries") }
                #expect(counted.contains { $0.contains("outcome=\"accepted\"") && $0.hasSuffix(" 1") }, "\(counted)")
                #expect(counted.contains { $0.contains("outcome=\"duplicate\"") && $0.hasSuffix(" 2") }, "\(counted)")

                guard let audit = c.audit else { return }
                try await audit.waitFor("webhook.duplicate", containing: [delivery.id])
                try await audit.waitFor("webhook.duplicate", containing: [second.id])
                // One row per delivery id: the redelivery keeps the first answer's row.
                try await eventually("a row per delivery") {
                    try await audit.query("SELECT delivery_id, outcome, run FROM webhook_deliveries ORDER BY received_at")
                        == [[delivery.id, "accepted", first.run], [second.id, "duplicate", first.run]]
                }
            }
        }

        /// (5) `run:debug` on the issue → the run is `debug` and its namespace outlives its lease.
        @Test func debugLabelKeepsTheNamespace() async throws {
            try await Cluster.with(Cluster.Options(values: ["config.namespaceTTL.byRole.dev=2s"], operators: 1)) { c in
                let name = try await c.labelIssue(9, labels: ["run:dev", "run:debug"])
                #expect(try await c.run(name).spec.debug == true)
                let done = try await c.runToSuccess(name)
                let ns = try #require(done.status?.namespace)
                // The 2 s lease passes; the namespace is Retained, not deleted.
                try await c.waitUntil("RunNamespace \(ns) Retained", watching: RunNamespace.resource) {
                    (try? await c.admin.get(RunNamespace.self, name: ns))?.status?.phase == .retained
                }
                #expect(try await c.namespaceExists(ns))
                guard let audit = c.audit else { return }
                try await audit.waitFor("run.namespace.cleanup_skipped", containing: [ns, "debug_label_present"])
            }
        }
    }
}

import Foundation
import KubeAPI
import Runs
import Testing

extension EndToEndTests {
    /// Run namespaces and their leases across processes (SPEC §1 flows 4–5, §6).
    @Suite struct LeaseFlowTests {
        /// (6) A short lease (config `namespaceTTL.byRole.dev: 3s`) expires after the run → the
        /// Namespace and its RunNamespace are deleted, and the audit tells the whole story.
        @Test func leaseExpiryDeletesTheNamespaceAndAuditsIt() async throws {
            try await Cluster.with(Cluster.Options(values: ["config.namespaceTTL.byRole.dev=3s"], operators: 1)) { c in
                let name = try await c.labelIssue(21)
                let done = try await c.runToSuccess(name)
                let ns = try #require(done.status?.namespace)
                // Namespace first, then its RunNamespace (SPEC §6).
                try await c.waitUntil("namespace \(ns) gone", watching: Namespace.resource) { try await !c.namespaceExists(ns) }
                try await c.waitUntil("RunNamespace \(ns) gone", watching: RunNamespace.resource) {
                    try await !c.runNamespaceExists(ns)
                }
                guard let audit = c.audit else { return }
                try await audit.waitFor("run.namespace.cleaned", containing: [ns])
                let events = audit.events(run: name)
                for event in ["run.namespace.prepared", "run.started", "run.succeeded"] {
                    #expect(events.contains(event), "\(events)")
                }
                let ttl = audit.lines.filter { $0.contains(" run.namespace.ttl_scheduled ") && $0.contains(ns) }
                #expect(!ttl.isEmpty, "no run.namespace.ttl_scheduled for \(ns): \(audit.lines)")
            }
        }

        /// (7) A review requesting changes → a `dev` revise run reuses the still-leased namespace and
        /// extends its lease from now (SPEC §1 flow 4).
        @Test func reviewChangesRequestedRevisesInTheSameNamespace() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let first = try await c.labelIssue(42)
                let done = try await c.runToSuccess(first)
                let ns = try #require(done.status?.namespace)
                let before = try #require(try await c.admin.get(RunNamespace.self, name: ns).status)
                let review = GitHubDelivery.review(repository: Cluster.repository, pullRequest: 43, state: "changes_requested",
                                                   labels: ["run:dev"], body: "Closes #42")
                let answer = try await c.deliver(review)
                #expect(answer.code == 202, "\(answer)")
                let revise = try #require(answer.run)
                let spec = try await c.run(revise).spec
                #expect(spec.revise == true && spec.issue == 42 && spec.pullRequest == 43 && spec.stage == .dev)
                let reused = try await c.runToSuccess(revise)
                #expect(reused.status?.namespace == ns && reused.status?.reusedNamespace == true)
                // Renewed by the revise, from the moment it started: now + ttl(dev) (24h, the chart's default).
                let after = try #require(try await c.admin.get(RunNamespace.self, name: ns).status)
                #expect(after.renewals == (before.renewals ?? 0) + 1, "\(before) → \(after)")
                let (renewedBefore, renewed) = (try #require(before.leaseRenewedAt), try #require(after.leaseRenewedAt))
                #expect(renewed >= renewedBefore && after.leaseExpiresAt == renewed.adding(seconds: 24 * 3600), "\(after)")
                #expect(try #require(after.leaseExpiresAt) >= (try #require(before.leaseExpiresAt)))
                guard let audit = c.audit else { return }
                try await audit.waitFor("run.namespace.reused", run: revise, containing: [ns])
            }
        }
    }
}

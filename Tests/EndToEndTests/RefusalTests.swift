import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing

extension EndToEndTests {
    /// Deliveries that must not start an agent (SPEC §4).
    @Suite struct RefusalTests {
        /// (3) Two model labels on the issue → the run fails at once with FailedPrecondition, taking
        /// no namespace.
        @Test func conflictingModelLabelsFailWithoutANamespace() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let name = try await c.labelIssue(11, labels: ["run:dev", "[ai-model-gpt-5]", "[ai-model-o3]"])
                let failed = try await c.waitForPhase(name, .failed)
                #expect(failed.status?.reason == .failedPrecondition, "\(String(describing: failed.status))")
                #expect(failed.status?.message?.contains("conflicting profile labels") == true, "\(failed.status?.message ?? "")")
                #expect(failed.status?.namespace == nil)
                let namespaces = try await c.admin.list(Namespace.self, options: ListOptions(
                    labelSelector: "app.kubernetes.io/managed-by=codex-k8s"))
                #expect(namespaces.items.isEmpty, "\(namespaces.items.map(\.metadata.name))")
                #expect(try await c.admin.list(RunNamespace.self).items.isEmpty)
                guard let audit = c.audit else { return }
                try await audit.waitFor("run.failed.precondition", run: name, containing: ["FailedPrecondition"])
                #expect(!audit.events(run: name).contains("run.namespace.prepared"))
            }
        }

        /// (4) A review asking for changes on a pull request with two stage labels → no run, answered
        /// `stage_ambiguous`, and the audit records that the PR needs input.
        @Test func ambiguousReviseStartsNothingAndAsksForInput() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let review = GitHubDelivery.review(repository: Cluster.repository, pullRequest: 77, state: "changes_requested",
                                                   labels: ["run:dev", "run:qa"])
                let answer = try await c.deliver(review)
                #expect(answer.code == 200 && answer.status == "ignored" && answer.reason == "stage_ambiguous", "\(answer)")
                #expect(try await c.admin.list(AgentRun.self, namespace: Cluster.namespace).items.isEmpty)
                guard let audit = c.audit else { return }
                let line = try await audit.waitFor("run.revise.stage_ambiguous", containing: [review.id])
                #expect(line.contains("\"need\":\"need:input\""), "\(line)")
                #expect(line.contains("\"dev\"") && line.contains("\"qa\""), "\(line)")
                try await eventually("the ignored delivery row") {
                    try await audit.query("SELECT outcome, reason FROM webhook_deliveries WHERE delivery_id = '\(review.id)'")
                        == [["ignored", "stage_ambiguous"]]
                }
            }
        }
    }
}

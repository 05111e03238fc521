import KubeAPI
import KubeClient
import Operator
import Runs
import Testing

/// Provisioning meets an object it did not create under a name it needs (SPEC §5, docs/operator.md
/// "Idempotency and crashes"): the run fails with `FailedPrecondition` naming the object, and the
/// object is left alone. (Creates whose answer the operator does not read still read an existing
/// object back to check its labels.)
@Suite(.serialized) struct ForeignObjectTests {
    @Test func anUnlabelledNamespaceUnderTheRunsNameFailsTheRun() async throws {
        try await OperatorHarness.with { h in
            let name = "foreign-ns"
            let namespace = RunNames.namespace(prefix: h.config.namespacePrefix, repository: "acme/foreign", issue: 42,
                                               stage: .dev, nonce: name)
            _ = try await h.client.create(Namespace(metadata: ObjectMeta(name: namespace, labels: ["owner": "someone-else"])))
            let op = h.startOperator()
            try await h.createRun(name, repository: "acme/foreign")
            let failed = try await h.waitForPhase(name, .failed, reason: .failedPrecondition)
            await op.stop()

            #expect(failed.status?.message == "Namespace \(namespace) already exists and was not created for this run "
                + "(it lacks the labels \(RunLabels.managedBy)=\(RunLabels.managedByValue) and \(RunLabels.run)=<run>); delete or rename it")
            let left = try await h.client.get(Namespace.self, name: namespace)
            #expect(left.metadata.labels?["owner"] == "someone-else" && left.metadata.labels?[RunLabels.run] == nil)
            #expect(try await h.client.list(Job.self, namespace: namespace).items.isEmpty)
            _ = try? await h.client.delete(Namespace.self, name: namespace)
        }
    }
}

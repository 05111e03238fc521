import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Testing

/// What one run costs in API requests from creation to Running (the issue's budget: ≤ 12 writes,
/// no reads after the initial lists). In memory only: it reads the server's request log.
@Suite(.serialized) struct RequestBudgetTests {
    /// The writes every run costs from admission to Running, in order: 12 (+ the finalizer patch when the run
    /// was created without the finalizer).
    static let provisioningWrites = [
        "update agentruns.codex-k8s.dev/status", // Provisioning
        "create runnamespaces.codex-k8s.dev", "update runnamespaces.codex-k8s.dev/status",
        "create namespaces", "create serviceaccounts", "create rolebindings.rbac.authorization.k8s.io",
        "create resourcequotas", "create limitranges", "create networkpolicies.networking.k8s.io",
        "create secrets", "create jobs.batch",
        "update agentruns.codex-k8s.dev/status", // Running
    ]

    /// Creates `run` (through `create`), drives its pod to Running and returns the operator's
    /// writes in order ("verb resource[/subresource]"), after checking that it read nothing.
    static func writesToRunning(_ name: String, create: (OperatorHarness) async throws -> Void) async throws -> [String] {
        var summary: [String] = []
        try await OperatorHarness.with { h in
            let server = try #require(h.server)
            let op = h.startOperator()
            await op.runtime.waitForCaches()
            await op.settle()
            server.requests.reset()
            try await create(h)
            let admitted = try await h.waitForPhase(name, .provisioning)
            _ = try await h.pod(of: admitted)
            try await h.podRunning(admitted)
            _ = try await h.waitForPhase(name, .running)
            await op.settle()
            let operatorWrites = server.requests.all.filter { e in
                ["create", "update", "patch", "delete"].contains(e.verb)
                    && !(e.verb == "create" && e.resource == "agentruns.codex-k8s.dev") // the test's
                    && !(e.resource == "pods" && e.subresource == "status") // the test's kubelet
                    && !(e.resource == "selfsubjectaccessreviews.authorization.k8s.io")
            }
            summary = operatorWrites.map { "\($0.verb) \($0.resource)\($0.subresource.map { "/\($0)" } ?? "")" }
            // Besides the test's own reads of AgentRuns and Pods, nothing is read: the operator
            // works from its caches (no GET after a create, no list).
            let reads = server.requests.all.filter { e in
                (e.verb == "get" || e.verb == "list") && e.resource != "agentruns.codex-k8s.dev" && e.resource != "pods"
            }
            #expect(reads.isEmpty, "\(reads.map { "\($0.verb) \($0.path)" })")
            await op.stop()
        }
        return summary
    }

    /// The webhook creates every AgentRun with the finalizer already on (as the PVC protection
    /// admission plugin does for its finalizer), so the operator's own budget is 12 writes.
    @Test(.enabled(if: SecurityTests.inMemory)) func aRunCreatedWithTheFinalizerAsTheWebhookCreatesItCostsTwelveWrites() async throws {
        let writes = try await Self.writesToRunning("budget-1") { h in
            _ = try await h.client.create(AgentRun(
                metadata: ObjectMeta(name: "budget-1", namespace: h.config.controlNamespace, finalizers: [WellKnown.cleanupFinalizer]),
                spec: AgentRunSpec(repository: "acme/shop", issue: 42, stage: .dev)))
        }
        #expect(writes == Self.provisioningWrites, "\(writes)")
        #expect(writes.count == 12)
    }

    /// A run created by hand (kubectl) costs one more: the JSON patch adding the finalizer.
    @Test(.enabled(if: SecurityTests.inMemory)) func aRunCreatedWithoutTheFinalizerCostsOneMorePatch() async throws {
        let writes = try await Self.writesToRunning("budget-2") { h in try await h.createRun("budget-2") }
        #expect(writes == ["patch agentruns.codex-k8s.dev"] + Self.provisioningWrites, "\(writes)")
    }
}

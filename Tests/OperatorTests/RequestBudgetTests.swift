import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Testing

/// What one run costs in API requests from creation to Running (the issue's budget: ≤ 12 writes,
/// no reads after the initial lists). In memory only: it reads the server's request log.
@Suite(.serialized) struct RequestBudgetTests {
    @Test(.enabled(if: SecurityTests.inMemory)) func aRunCostsThirteenWritesAndNoReadsOfItsObjectsFromCreationToRunning() async throws {
        try await OperatorHarness.with { h in
            let server = try #require(h.server)
            let op = h.startOperator()
            await op.runtime.waitForCaches()
            await op.settle()
            server.requests.reset()
            let run = try await h.createRun("budget-1")
            let admitted = try await h.waitForPhase(run.metadata.name!, .provisioning)
            _ = try await h.pod(of: admitted)
            try await h.podRunning(admitted)
            _ = try await h.waitForPhase("budget-1", .running)
            await op.settle()
            let operatorWrites = server.requests.all.filter { e in
                ["create", "update", "patch", "delete"].contains(e.verb)
                    && !(e.verb == "create" && e.resource == "agentruns.codex-k8s.dev") // the test's
                    && !(e.resource == "pods" && e.subresource == "status") // the test's kubelet
                    && !(e.resource == "selfsubjectaccessreviews.authorization.k8s.io")
            }
            let summary = operatorWrites.map { "\($0.verb) \($0.resource)\($0.subresource.map { "/\($0)" } ?? "")" }
            #expect(summary == [
                "patch agentruns.codex-k8s.dev", // finalizer
                "update agentruns.codex-k8s.dev/status", // Provisioning
                "create runnamespaces.codex-k8s.dev", "update runnamespaces.codex-k8s.dev/status",
                "create namespaces", "create serviceaccounts", "create rolebindings.rbac.authorization.k8s.io",
                "create resourcequotas", "create limitranges", "create networkpolicies.networking.k8s.io",
                "create secrets", "create jobs.batch",
                "update agentruns.codex-k8s.dev/status", // Running
            ], "\(summary)")
            // Besides the test's own reads of AgentRuns and Pods, nothing is read: the operator
            // works from its caches (no GET after a create, no list).
            let reads = server.requests.all.filter { e in
                (e.verb == "get" || e.verb == "list") && e.resource != "agentruns.codex-k8s.dev" && e.resource != "pods"
            }
            #expect(reads.isEmpty, "\(reads.map { "\($0.verb) \($0.path)" })")
            await op.stop()
        }
    }
}

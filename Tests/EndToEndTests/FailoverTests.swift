import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import Testing

extension EndToEndTests {
    /// Two operator replicas, one leading (SPEC §9): losing the leader loses nothing.
    @Suite struct FailoverTests {
        /// (9) `kill -9` of the leader while it provisions a run → the other replica takes the Lease
        /// over and finishes the run, with exactly one of every object.
        @Test func killingTheLeaderMidProvisioningLeavesExactlyOneOfEverything() async throws {
            try await Cluster.with { c in
                let leader = try await c.leader()
                // Hold the leader inside provisioning: its Job creates fail (500) until it is gone,
                // after it made the RunNamespace, the Namespace and the objects in it.
                c.server.faults.fail(RequestMatcher(verb: "create", resource: "jobs.batch"), count: 1_000_000, code: 500)
                let name = try await c.labelIssue(51)
                let server = c.server
                _ = try await within(150, "the leader to try to create the Job") {
                    await server.requests.waitFor(verb: "create", resource: "jobs.batch")
                }
                #expect(try await c.run(name).status?.phase == .provisioning)
                let process = try #require(c.operators[leader])
                process.kill() // SIGKILL: no graceful release of the Lease
                #expect(await process.exitStatus() == 128 + SIGKILL, "killed by SIGKILL")
                c.server.faults.reset()

                let successor = try await c.leader(excluding: leader)
                #expect(successor != leader)
                let done = try await c.runToSuccess(name)
                let ns = try #require(done.status?.namespace)

                #expect(try await c.admin.list(AgentRun.self, namespace: Cluster.namespace).items.map(\.metadata.name) == [name])
                #expect(try await c.admin.list(RunNamespace.self).items.map(\.metadata.name) == [ns])
                let managed = try await c.admin.list(Namespace.self, options: ListOptions(
                    labelSelector: "app.kubernetes.io/managed-by=codex-k8s,codex-k8s.dev/namespace-purpose=run"))
                #expect(managed.items.map(\.metadata.name) == [ns])
                let objects = try await c.objects(["serviceaccounts", "rolebindings", "resourcequotas", "limitranges",
                                                   "networkpolicies", "secrets", "jobs", "pods"], in: ns)
                #expect(objects.mapValues(\.count) == [
                    "serviceaccount": 2, // codex-agent and the namespace's default
                    "rolebinding.rbac.authorization.k8s.io": 1, "resourcequota": 1, "limitrange": 1,
                    "networkpolicy.networking.k8s.io": 1, "secret": 1, "job.batch": 1, "pod": 1,
                ], "\(objects)")
                #expect(objects["secret"] == ["codex-agent-credentials"])
                #expect(objects["job.batch"] == [done.status?.jobName ?? ""])
            }
        }
    }
}

import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Synchronization
import Testing

/// The operator dies after each single API write of provisioning; a new one converges to exactly
/// one of every object (SPEC §5: idempotent provisioning).
@Suite(.serialized) struct CrashSafetyTests {
    /// Writes from a new run's creation to its Job: finalizer, Provisioning status, RunNamespace and
    /// its status, Namespace, ServiceAccount, RoleBinding, ResourceQuota, LimitRange, NetworkPolicy,
    /// Secret, Job.
    static let provisioningWrites = 12

    @Test func aRestartAfterAnyWriteConvergesToExactlyOneOfEverything() async throws {
        try await OperatorHarness.with { h in
            for n in 0..<Self.provisioningWrites {
                let name = "crash-\(n)"
                let (refused, refusal) = AsyncStream<String>.makeStream()
                let count = Mutex(0)
                let first = h.startOperator(workers: 1) { what in
                    let allowed = count.withLock { c -> Bool in c += 1; return c <= n }
                    if !allowed {
                        refusal.yield(what)
                        throw OperatorError.stopped(what)
                    }
                }
                try await h.createRun(name, repository: "acme/crash\(n)")
                var it = refused.makeAsyncIterator()
                let stoppedAt = try #require(await it.next())
                await first.stop()

                let second = h.startOperator()
                let run = try await h.waitForRun(name, "provisioned after a stop before \"\(stoppedAt)\"") {
                    $0.status?.phase == .provisioning
                }
                try await h.podRunning(run)
                let running = try await h.waitForPhase(name, .running)
                #expect(running.metadata.finalizers == ["codex-k8s.dev/cleanup"])
                #expect(try await h.objects(of: running) == OperatorHarness.oneOfEach, "stopped before \(stoppedAt)")
                let rns = try await h.client.get(RunNamespace.self, name: running.status?.namespace ?? "")
                #expect(rns.status?.phase == .active && rns.status?.leaseExpiresAt == running.status?.leaseExpiresAt)
                await second.stop()
            }
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Logging
import Prometheus
import ServiceLifecycle
import Testing
@testable import KubeRuntime

/// Two managers (controllers + leader election + HTTP endpoints) against KubeTestServer. Lease
/// timing runs on a shared manual clock; everything else (HTTP, watches, queues) is real.
@Suite(.timeLimit(.minutes(1))) struct LeaderElectionHTTPTests {
    final class Replica: Sendable {
        let id: String
        let elector: LeaderElector
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let port: Int
        let reconciles = Locked(0)
        let reconciled = AsyncStream<Void>.makeStream()

        init(api: TestAPI, id: String, clock: ManualClock, releaseOnStop: Bool) async {
            self.id = id
            let client = TestAPI.client(api.server)
            let reconciles = self.reconciles
            let reconciled = self.reconciled.continuation
            let registry = PrometheusCollectorRegistry()
            let controller = Controller(name: "configmaps",
                                        primary: KubeClientListWatch<ConfigMap>(client: client, namespace: "default"),
                                        backoff: fastBackoff, metricsFactory: PrometheusMetricsFactory(registry: registry),
                                        logger: quietLogger) { _ in
                reconciles.withLock { $0 += 1 }
                reconciled.yield()
                return .awaitChange
            }
            var config = LeaderElectionConfig(namespace: "default", name: "codex-k8s-operator", identity: id)
            config.releaseOnStop = releaseOnStop
            elector = LeaderElector(config: config, client: KubeClientLeaseClient(client: client), clock: clock,
                                    random: { 0.5 }, logger: quietLogger)
            let ports = AsyncStream<Int>.makeStream()
            let manager = Manager(configuration: ManagerConfiguration(host: "127.0.0.1", port: 0),
                                  controllers: [controller], elector: elector, registry: registry, logger: quietLogger,
                                  onServerRunning: { ports.continuation.yield($0) })
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: manager)], gracefulShutdownSignals: [], logger: quietLogger))
            self.group = group
            task = Task { try await group.run() }
            var it = ports.stream.makeAsyncIterator()
            port = await it.next() ?? 0
        }
    }

    /// Advances the manual clock from deadline to deadline until `done`, each time after every
    /// live candidate is blocked on the clock again (so all work of the previous step is complete).
    func step(_ clock: ManualClock, sleepers: @autoclosure () -> Int, until done: () -> Bool) async -> Bool {
        for _ in 0..<300 {
            await clock.waitForSleepers(sleepers())
            if done() { return true }
            guard let next = clock.nextDeadline else { continue }
            clock.advance(by: next - clock.now())
        }
        return done()
    }

    func lease(_ api: TestAPI) async throws -> Lease {
        try await api.admin.get(Lease.self, namespace: "default", name: "codex-k8s-operator")
    }

    @Test func twoManagersOneLeaderKilledLeaderFailsOverGracefulStopReleases() async throws {
        let api = try await TestAPI.start()
        _ = try await api.admin.create(ConfigMap("work"))
        let clock = ManualClock()
        let a = await Replica(api: api, id: "replica-a", clock: clock, releaseOnStop: false)
        let b = await Replica(api: api, id: "replica-b", clock: clock, releaseOnStop: true)

        // Exactly one leader, for a minute of lease time.
        var maxLeaders = 0
        _ = await step(clock, sleepers: 2, until: {
            maxLeaders = max(maxLeaders, [a, b].filter { $0.elector.isLeader }.count)
            return clock.now() > MonotonicInstant(sinceOrigin: .seconds(60))
        })
        #expect(maxLeaders == 1)
        let leader = a.elector.isLeader ? a : b
        let standby = leader === a ? b : a
        #expect(try await lease(api).spec?.holderIdentity == leader.id)
        // Both are ready: the leader, and a healthy standby with synced caches.
        #expect(try await httpGet(leader.port, "/readyz").status == 200)
        #expect(try await httpGet(standby.port, "/readyz").status == 200)
        #expect(standby.reconciles.value == 0, "only the leader runs controllers")

        // Kill replica-a (no release): whoever leads, the survivor leads within 15 s + 2 s.
        let killedLeader = leader === a
        let killedAt = clock.now()
        a.task.cancel()
        _ = try? await a.task.value
        #expect(await step(clock, sleepers: 1, until: { b.elector.isLeader }))
        if killedLeader {
            #expect(clock.now() - killedAt <= .seconds(17), "failover took \(clock.now() - killedAt)")
        }
        #expect(try await lease(api).spec?.holderIdentity == "replica-b")
        var bReconciled = b.reconciled.stream.makeAsyncIterator()
        #expect(await bReconciled.next() != nil, "the new leader reconciles")

        // A fresh candidate stands by; stopping the leader gracefully releases the Lease at once.
        let c = await Replica(api: api, id: "replica-c", clock: clock, releaseOnStop: true)
        _ = await step(clock, sleepers: 2, until: { c.elector.isHealthy })
        await b.group.triggerGracefulShutdown()
        try await b.task.value
        let released = try await lease(api)
        #expect(released.spec?.holderIdentity == nil, "graceful stop released the Lease")
        let releasedAt = clock.now()
        #expect(await step(clock, sleepers: 1, until: { c.elector.isLeader }))
        #expect(clock.now() - releasedAt <= .seconds(2), "the standby took over at its next retry")
        await c.group.triggerGracefulShutdown()
        try await c.task.value
        await api.stop()
    }
}

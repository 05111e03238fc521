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
@Suite(.timeLimit(.minutes(4))) struct LeaderElectionHTTPTests {
    final class Replica: Sendable {
        let id: String
        let elector: LeaderElector
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let port: Int
        /// Whether this replica's elector led at each of its reconciles, in order.
        let leadingAtReconcile = Locked<[Bool]>([])
        /// Yields the same flag per reconcile, for waiting.
        let reconciled = AsyncStream<Bool>.makeStream()

        init(api: TestAPI, id: String, clock: ManualClock, releaseOnStop: Bool) async {
            self.id = id
            let client = TestAPI.client(api.server)
            let leadingAtReconcile = self.leadingAtReconcile
            let reconciled = self.reconciled.continuation
            let electorBox = Locked<LeaderElector?>(nil)
            let registry = PrometheusCollectorRegistry()
            let controller = Controller(name: "configmaps",
                                        primary: KubeClientListWatch<ConfigMap>(client: client, namespace: "default"),
                                        backoff: fastBackoff, metricsFactory: PrometheusMetricsFactory(registry: registry),
                                        logger: quietLogger) { _ in
                let leading = electorBox.value?.isLeader ?? false
                leadingAtReconcile.withLock { $0.append(leading) }
                reconciled.yield(leading)
                return .awaitChange
            }
            var config = LeaderElectionConfig(namespace: "default", name: "codex-k8s-operator", identity: id)
            config.releaseOnStop = releaseOnStop
            let elector = LeaderElector(config: config, client: KubeClientLeaseClient(client: client), clock: clock,
                                        random: { 0.5 }, logger: quietLogger)
            self.elector = elector
            electorBox.withLock { $0 = elector }
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

    /// The manual-clock instant of a wall time the electors wrote (ManualClock's wall clock starts
    /// at 1,800,000,000 s when its monotonic clock is at 0 and moves with it), to the millisecond.
    func instant(_ wall: MicroTime?) throws -> MonotonicInstant {
        let seconds = try #require(wall).secondsSince1970 - 1_800_000_000
        return MonotonicInstant(sinceOrigin: .milliseconds(Int64((seconds * 1000).rounded())))
    }

    @Test func twoManagersExactlyOneLeaderAndAKilledLeaderFailsOverInTime() async throws {
        try await TestAPI.withServer { api in
            _ = try await api.admin.create(ConfigMap("work"))
            let clock = ManualClock()
            // Neither releases on stop: killing one is a crash, the Lease must expire.
            let a = await Replica(api: api, id: "replica-a", clock: clock, releaseOnStop: false)
            let b = await Replica(api: api, id: "replica-b", clock: clock, releaseOnStop: false)
            defer { a.task.cancel(); b.task.cancel() }

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

            // Kill the leader, whichever it is. From the API's view it just stops renewing.
            leader.task.cancel()
            _ = try? await leader.task.value
            let held = try await lease(api)
            #expect(held.spec?.holderIdentity == leader.id, "a crash does not release the Lease")
            let lastRenewal = try instant(held.spec?.renewTime)
            #expect(await step(clock, sleepers: 1, until: { standby.elector.isLeader }))
            #expect(clock.now() - lastRenewal <= .seconds(15) + .seconds(2),
                    "failover took \(clock.now() - lastRenewal) after the last renewal")
            #expect(try await lease(api).spec?.holderIdentity == standby.id)
            // The new leader reconciles, and every reconcile it ever ran happened while it led
            // (so the one awaited here is not a leftover from its standby time).
            var reconciled = standby.reconciled.stream.makeAsyncIterator()
            #expect(await reconciled.next() == true, "the new leader reconciles")
            #expect(leader.leadingAtReconcile.value.allSatisfy { $0 })
            #expect(standby.leadingAtReconcile.value.allSatisfy { $0 }, "only the leader runs controllers")
            await standby.group.triggerGracefulShutdown()
            try await standby.task.value
        }
    }

    @Test func gracefulStopReleasesTheLeaseAndTheStandbyTakesOverAtItsNextRetry() async throws {
        try await TestAPI.withServer { api in
            _ = try await api.admin.create(ConfigMap("work"))
            let clock = ManualClock()
            let a = await Replica(api: api, id: "replica-a", clock: clock, releaseOnStop: true)
            defer { a.task.cancel() }
            #expect(await step(clock, sleepers: 1, until: { a.elector.isLeader }))
            let c = await Replica(api: api, id: "replica-c", clock: clock, releaseOnStop: true)
            defer { c.task.cancel() }
            #expect(await step(clock, sleepers: 2, until: { c.elector.isHealthy && c.elector.observedHolder == "replica-a" }))
            await a.group.triggerGracefulShutdown()
            try await a.task.value
            let released = try await lease(api)
            #expect(released.spec?.holderIdentity == nil, "graceful stop released the Lease")
            let releasedAt = clock.now()
            #expect(await step(clock, sleepers: 1, until: { c.elector.isLeader }))
            #expect(clock.now() - releasedAt <= .seconds(2), "the standby took over at its next retry")
            await c.group.triggerGracefulShutdown()
            try await c.task.value
        }
    }
}

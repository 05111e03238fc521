import KubeAPI
import Testing
import TestSupport
@testable import KubeRuntime

@Suite struct LeaderElectorTests {
    /// What the electors log (warnings and errors), asserted where a test expects them.
    let logs = LogRecorder(level: .warning)

    func elector(_ id: String, _ store: FakeLeaseStore, _ clock: ManualClock, release: Bool = true) -> LeaderElector {
        var config = LeaderElectionConfig(namespace: "codex-system", name: "codex-k8s-operator", identity: id)
        config.releaseOnStop = release
        return LeaderElector(config: config, client: store.client(for: id), clock: clock, random: { 0.5 },
                             logger: logs.logger)
    }

    /// Advances the clock from deadline to deadline until `done` holds, waiting before each check
    /// for `sleepers` tasks to be blocked on the clock.
    func step(_ clock: ManualClock, sleepers: @autoclosure () -> Int, until done: () -> Bool,
              limit: Int = 200) async -> Bool {
        for _ in 0..<limit {
            // Once every candidate sleeps again, all work caused by the last step is complete.
            await clock.waitForSleepers(sleepers())
            if done() { return true }
            guard let next = clock.nextDeadline else { continue }
            clock.advance(by: next - clock.now())
        }
        return done()
    }

    @Test func twoCandidatesExactlyOneLeads() async throws {
        let clock = ManualClock()
        let store = FakeLeaseStore()
        let a = elector("a", store, clock), b = elector("b", store, clock)
        let leading = Locked<[String]>([])
        let ta = Task { try await a.run { leading.withLock { $0.append("a") }; await parkUntilCancelled() } }
        let tb = Task { try await b.run { leading.withLock { $0.append("b") }; await parkUntilCancelled() } }
        // Let many retry periods pass: the leader renews, the other keeps standing by.
        var maxLeaders = 0
        _ = await step(clock, sleepers: 2, until: {
            maxLeaders = max(maxLeaders, [a, b].filter(\.isLeader).count)
            return clock.now() > MonotonicInstant(sinceOrigin: .seconds(120))
        }, limit: 400)
        #expect(maxLeaders == 1)
        #expect(leading.value.count == 1)
        #expect([a, b].filter(\.isLeader).count == 1)
        #expect(a.isHealthy && b.isHealthy)
        ta.cancel(); tb.cancel()
        _ = try? await ta.value
        _ = try? await tb.value
    }

    @Test func killedLeaderFailsOverWithinLeaseDurationPlusRetryPeriod() async throws {
        let clock = ManualClock()
        let store = FakeLeaseStore()
        let a = elector("a", store, clock, release: false)
        let b = elector("b", store, clock)
        let ta = Task { try await a.run { await parkUntilCancelled() } }
        _ = await step(clock, sleepers: 1, until: { a.isLeader })
        let tb = Task { try await b.run { await parkUntilCancelled() } }
        _ = await step(clock, sleepers: 2, until: { clock.now() > MonotonicInstant(sinceOrigin: .seconds(30)) })
        #expect(a.isLeader && !b.isLeader)
        // The leader dies: from the API's point of view it simply stops renewing.
        let lastRenewal = clock.now()
        store.state.withLock { $0.partitioned.insert("a") }
        let aRunning = Locked(true)
        let watcher = Task { _ = try? await ta.value; aRunning.withLock { $0 = false }; clock.kick() }
        var twoLeaders = false
        let tookOver = await step(clock, sleepers: aRunning.value ? 2 : 1, until: {
            if a.isLeader && b.isLeader { twoLeaders = true }
            return b.isLeader
        }, limit: 100)
        #expect(!twoLeaders, "the standby never takes over while the old leader still believes it leads")
        await watcher.value
        #expect(tookOver)
        #expect(clock.now() - lastRenewal <= .seconds(15) + .seconds(2),
                "failover took \(clock.now() - lastRenewal)")
        #expect(store.holder == "b")
        #expect(store.lease?.spec?.leaseTransitions == 1)
        // The partitioned old leader gave up after its renew deadline.
        do {
            try await ta.value
            Issue.record("the partitioned leader must report lost leadership")
        } catch {
            #expect(error as? LeaderElectionError == .leadershipLost(identity: "a"))
        }
        #expect(logs.messages(at: .error).contains("lost leadership of lease codex-system/codex-k8s-operator"),
                "\(logs.records)")
        #expect(!a.isLeader)
        tb.cancel()
        _ = try? await tb.value
    }

    @Test func releaseRetriesWhenARacedWriteMakesItConflict() async throws {
        let clock = ManualClock()
        let store = FakeLeaseStore()
        let a = elector("a", store, clock)
        let stop = Gate()
        let ta = Task { try await a.run { await stop.enterAndWait() } }
        _ = await step(clock, sleepers: 1, until: { a.isLeader })
        // A renew cancelled by the stop lands after the release read the Lease: two conflicts.
        store.state.withLock { $0.conflictsToInject = 2 }
        stop.open()
        try await ta.value
        #expect(store.holder == nil, "released on the third attempt")
        #expect(store.state.value.conflictsToInject == 0)
    }

    @Test func gracefulStopReleasesTheLeaseForImmediateFailover() async throws {
        let clock = ManualClock()
        let store = FakeLeaseStore()
        let a = elector("a", store, clock), b = elector("b", store, clock)
        let stop = Gate()
        let ta = Task { try await a.run { await stop.enterAndWait() } }
        defer { stop.open() }
        _ = await step(clock, sleepers: 1, until: { a.isLeader })
        let tb = Task { try await b.run { await parkUntilCancelled() } }
        _ = await step(clock, sleepers: 2, until: { clock.now() > MonotonicInstant(sinceOrigin: .seconds(20)) })
        stop.open() // leading work drained
        try await ta.value
        #expect(store.holder == nil, "released: holder cleared")
        #expect(store.lease?.spec?.leaseDurationSeconds == 1)
        let released = clock.now()
        _ = await step(clock, sleepers: 1, until: { b.isLeader })
        #expect(clock.now() - released <= .seconds(2), "the standby takes over at its next retry")
        tb.cancel()
        _ = try? await tb.value
        #expect(store.holder == nil, "cancelling the leader also releases")
    }
}

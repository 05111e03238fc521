import KubeAPI
import KubeClient
import KubeTestServer
import Testing
@testable import KubeRuntime

/// A leader whose API server stops answering must stop leading by its renew deadline — before a
/// standby may take over — instead of waiting on a hung request (real clock, real HTTP; short
/// lease timings so the test takes about two seconds).
///
/// Every wait is bounded (`within`) and the elector's task is cancelled however the test ends: a
/// leader that never leads, or never lets go, fails the test with what was awaited instead of hanging
/// it (a bare `run.value` ignores the test's cancellation). The time limit is only a backstop.
@Suite(.timeLimit(.minutes(3))) struct LeaseDeadlineHTTPTests {
    @Test func aHungAPIServerCostsTheLeaderItsLeadershipAtTheRenewDeadline() async throws {
        let api = try await TestAPI.start()
        defer { Task { await api.stop() } }
        var config = LeaderElectionConfig(namespace: "default", name: "codex-k8s-operator", identity: "a")
        config.leaseDuration = .seconds(3)
        config.renewDeadline = .seconds(2)
        config.retryPeriod = .milliseconds(500)
        config.releaseOnStop = false
        let leases = KubeClientLeaseClient(client: TestAPI.client(api.server), requestTimeout: .milliseconds(400))
        let elector = LeaderElector(config: config, client: leases, random: { 0.5 }, logger: quietLogger)
        let (started, leading) = AsyncStream<Void>.makeStream()
        let run = Task { try await elector.run { leading.yield(); await parkUntilCancelled() } }
        defer { run.cancel() }
        try await within("the elector to lead") {
            var it = started.makeAsyncIterator()
            _ = await it.next()
        }
        #expect(elector.isLeader)

        // Every Lease request now hangs for longer than this test may run (and than KubeClient's
        // default 60 s request timeout): only the lease client's own timeout can end an attempt.
        api.server.faults.addLatency(600, for: RequestMatcher(resource: "leases.coordination.k8s.io"))
        let ended = Locked<(any Error)??>(nil) // .some(nil): run returned without an error
        try await within("the leader to lose its leadership at the renew deadline") {
            do {
                try await run.value
                ended.withLock { $0 = .some(nil) }
            } catch {
                ended.withLock { $0 = .some(error) }
            }
        }
        let error = ended.withLock { $0 } ?? nil
        #expect(error as? LeaderElectionError == .leadershipLost(identity: "a"), "\(String(describing: error))")
        #expect(!elector.isLeader)
    }
}

import KubeAPI
import KubeClient
import MetricsTestKit
import Testing
@testable import KubeRuntime

/// `watch_restarts_total{resource,reason}` counts each way a watch restarts under its own reason,
/// and `watch_recovery_seconds` times a broken watch from the break to the first sign of a working
/// one (the new stream's first event, or a completed relist) — on a fake source and a manual clock,
/// so the recorded durations are exact.
@Suite(.timeLimit(.minutes(2)))
struct WatchRestartMetricsTests {
    final class Run: Sendable {
        let api = FakeListWatch<Widget>()
        let clock = ManualClock()
        let metrics = TestMetrics()
        let events: AsyncStream<WatcherEvent<Widget>>
        let task: Task<Void, Never>

        init() {
            var configured = Watcher(source: api, watchTimeout: .seconds(3600), backoff: Backoff(random: { 0 }),
                                     clock: clock, logger: quietLogger)
            configured.unreachableBackoff = Backoff(initial: .milliseconds(200), maximum: .milliseconds(1600),
                                                    random: { 0 })
            configured.random = { 0.5 }
            configured.metricsFactory = metrics
            let watcher = configured
            let (events, continuation) = AsyncStream<WatcherEvent<Widget>>.makeStream()
            self.events = events
            task = Task { await watcher.run { continuation.yield($0) } }
        }

        func restarts(_ reason: WatchRestartReason) -> Int64 {
            (try? metrics.expectCounter("watch_restarts_total",
                                        [("resource", Widget.resource.description), ("reason", reason.rawValue)]))?
                .totalValue ?? 0
        }

        var counts: [WatchRestartReason: Int64] {
            Dictionary(uniqueKeysWithValues: WatchRestartReason.allCases.map { ($0, restarts($0)) })
        }

        /// The recorded recovery times.
        var recoveries: [Duration] {
            ((try? metrics.expectTimer("watch_recovery_seconds", [("resource", Widget.resource.description)]))?
                .values ?? []).map { .nanoseconds($0) }
        }

        func waitForWatchCalls(_ n: Int) async throws {
            let api = api
            try await within("watch call \(n)") { await api.waitForWatchCalls(n) }
        }

        /// Advances the clock by `d` once the watcher sleeps on a timer due within it.
        func advance(by d: Duration) async throws {
            let clock = clock
            try await within("a timer due within \(d)") { await clock.waitForSleepers(1, dueWithin: d) }
            clock.advance(by: d)
        }
    }

    /// Consumes events until one matches; fails (instead of waiting forever) when the stream ends.
    static func next(_ it: inout AsyncStream<WatcherEvent<Widget>>.Iterator, _ what: String,
                     _ match: (WatcherEvent<Widget>) -> Bool) async throws -> WatcherEvent<Widget> {
        while let e = await it.next() { if match(e) { return e } }
        throw WaitTimedOut(what: what, patience: .seconds(60), diagnostics: "the event stream ended (the test's time limit cancelled it)")
    }

    static func applied(_ name: String) -> (WatcherEvent<Widget>) -> Bool {
        { if case .apply(let w) = $0 { w.metadata.name == name } else { false } }
    }

    static func error(_ e: WatcherEvent<Widget>) -> Bool {
        if case .error = e { true } else { false }
    }

    @Test func eachRestartIsCountedUnderItsReasonAndEachRecoveryIsTimed() async throws {
        let run = Run()
        defer { run.task.cancel() }
        var it = run.events.makeAsyncIterator()
        try await run.waitForWatchCalls(1)

        // timeout: the stream ends normally after an event (the server's timeoutSeconds) and is
        // reopened at once; a timeout is no breakage, so no recovery is timed.
        run.api.upsert(Widget("a"))
        _ = try await Self.next(&it, "a applied", Self.applied("a"))
        run.api.endStreams()
        try await run.waitForWatchCalls(2)
        #expect(run.counts == [.timeout: 1, .serverGone: 0, .error: 0, .gone: 0])
        #expect(run.recoveries.isEmpty)

        // server_gone: the server goes away under a stream that worked; resumed after 50 ms of
        // jitter. The recovery ends at the new stream's first event, 1 s later: 1.05 s.
        run.api.upsert(Widget("b"))
        _ = try await Self.next(&it, "b applied", Self.applied("b"))
        run.api.breakStreams(with: KubeError.transport(code: 18, message: "transfer closed with outstanding read data remaining"))
        _ = try await Self.next(&it, "the server-gone error", Self.error)
        try await run.advance(by: .milliseconds(50))
        try await run.waitForWatchCalls(3)
        run.clock.advance(by: .seconds(1))
        run.api.upsert(Widget("c"))
        _ = try await Self.next(&it, "c applied", Self.applied("c"))
        #expect(run.counts == [.timeout: 1, .serverGone: 1, .error: 0, .gone: 0])
        #expect(run.recoveries == [.milliseconds(1050)])

        // error: the server goes away again (server_gone, 50 ms) and the next watch is refused
        // before it delivers anything: counted as an error, backed off 0.2 s.
        run.api.breakStreams(with: KubeError.transport(code: 18, message: "transfer closed"))
        _ = try await Self.next(&it, "the second server-gone error", Self.error)
        try await run.advance(by: .milliseconds(50))
        try await run.waitForWatchCalls(4)
        run.api.breakStreams(with: KubeError.transport(code: 7, message: "Connection refused"))
        guard case .error(let refused) = try await Self.next(&it, "the refused watch", Self.error) else { return }
        #expect(refused.kind == .failed && refused.retryAfter == .milliseconds(200))
        #expect(run.counts == [.timeout: 1, .serverGone: 2, .error: 1, .gone: 0])

        // gone: 2 s later the history is compacted under the new watch (410) → a relist, which
        // ends the recovery: timed from the second break, 0.05 + 0.2 + 2 s before.
        try await run.advance(by: .milliseconds(200))
        try await run.waitForWatchCalls(5)
        run.clock.advance(by: .seconds(2))
        run.api.expireStreams()
        _ = try await Self.next(&it, "the relist's initDone") { if case .initDone = $0 { true } else { false } }
        #expect(run.counts == [.timeout: 1, .serverGone: 2, .error: 1, .gone: 1])
        #expect(run.recoveries == [.milliseconds(1050), .milliseconds(2250)])
    }
}

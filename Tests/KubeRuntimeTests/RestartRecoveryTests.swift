import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import MetricsTestKit
import Testing
@testable import KubeRuntime

/// Watches through API server outages, over HTTP against KubeTestServer: the server stops
/// answering for N seconds (connections closed on accept) and comes back; the cache must equal the
/// server within 2 s of its return. The watcher runs on a `ManualClock`, so an outage of N seconds
/// is N seconds of the watcher's time without the test sleeping: the test moves the clock from one
/// backoff deadline to the next while the server is down. Every wait is bounded in wall-clock time
/// (`Feed.waitUntil`) and reports the feed's state when it runs out.
@Suite(.timeLimit(.minutes(5)))
struct RestartRecoveryTests {
    /// A watcher of ConfigMaps in `default` into a store, on a manual clock. `pulse` ticks after
    /// every event the watcher handled and every change of the clock's sleepers, so a wait on any
    /// condition of the two is re-checked exactly when it may have changed.
    final class Feed: Sendable {
        let store = KubeRuntime.Store<ConfigMap>()
        let pulse = Pulse()
        let clock: ManualClock
        let metrics = TestMetrics()
        let errors = Locked([WatcherError]())
        let task: Task<Void, Never>
        /// Sleepers due within this horizon are the watcher's retry and jitter timers; its idle
        /// watchdog sleeps `watchTimeout + idleGrace` (295 s) past the last event.
        static let horizon: Duration = .seconds(60)

        init(_ api: TestAPI) {
            let pulse = pulse
            clock = ManualClock(onChange: { pulse.signal() })
            let source = KubeClientListWatch<ConfigMap>(client: TestAPI.client(api.server), namespace: "default")
            var configured = Watcher(source: source, pageSize: 50, clock: clock, logger: quietLogger)
            configured.metricsFactory = metrics
            let watcher = configured
            let (store, errors) = (store, errors)
            task = Task {
                await watcher.run { event in
                    if case .error(let failure) = event { errors.withLock { $0.append(failure) } }
                    store.apply(event)
                    pulse.signal()
                }
            }
        }

        func restarts(_ reason: WatchRestartReason) -> Int64 {
            (try? metrics.expectCounter("watch_restarts_total",
                                        [("resource", ConfigMap.resource.description), ("reason", reason.rawValue)]))?
                .totalValue ?? 0
        }

        /// The earliest timer the watcher sleeps on that is due within `horizon`.
        var retryTimer: MonotonicInstant? {
            let now = clock.now()
            return clock.deadlines.first { $0 <= now + Self.horizon }
        }

        /// What the feed is doing, for the message of a wait that ran out.
        var diagnostics: String {
            let errors = errors.withLock { $0.suffix(4).map { "\($0.kind) \($0.message) (retry \($0.retryAfter))" } }
            return "clock \(clock.now()), sleepers \(clock.deadlines), \(store.versions.count) cached, "
                + "restarts \(WatchRestartReason.allCases.map { "\($0.rawValue)=\(restarts($0))" }), last errors \(errors)"
        }

        /// Waits (without moving the clock) until `condition` holds; fails after 120 s of wall-clock time.
        func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
            try await KubeRuntimeTests.waitUntil(what, pulse: pulse, diagnostics: { diagnostics }, condition)
        }

        /// Moves the clock from one retry timer to the next until the cache equals `expected`;
        /// returns the watcher time that took.
        func converge(to expected: [ObjectKey: String]) async throws -> Duration {
            let start = clock.now()
            while true {
                try await waitUntil("a cache equal to the server's \(expected.count) objects, or a retry timer") {
                    store.versions == expected || retryTimer != nil
                }
                if store.versions == expected { return clock.now() - start }
                if clock.now() - start > .seconds(120) {
                    throw WaitTimedOut(what: "a cache equal to the server", patience: .seconds(120), diagnostics: diagnostics)
                }
                if let next = retryTimer { clock.advance(by: next - clock.now()) }
            }
        }

        /// The server is down for `seconds` of watcher time: the clock moves from one retry to the
        /// next (each attempt fails at once) and stops exactly `seconds` after the start.
        func sitOut(_ seconds: Duration) async throws {
            let end = clock.now() + seconds
            while true {
                try await waitUntil("a retry timer while the server is down") { retryTimer != nil }
                guard let next = retryTimer, next < end else { break }
                clock.advance(by: next - clock.now())
            }
            clock.advance(by: end - clock.now())
        }

        /// The errors yielded so far.
        var failures: [WatcherError] { errors.withLock { $0 } }
    }

    /// Runs the feed until its cache is ready and its watch has delivered an event (so that the
    /// outage breaks a stream that worked, not a "very short watch").
    static func startFeed(_ api: TestAPI) async throws -> Feed {
        for i in 0..<20 { _ = try await api.admin.create(ConfigMap("cm-\(i)", data: ["v": "0"])) }
        let feed = Feed(api)
        _ = try await feed.converge(to: api.serverState())
        // Written after the list: it reaches the cache over the watch.
        _ = try await api.admin.replace(ConfigMap("cm-0", data: ["v": "1"]))
        _ = try await feed.converge(to: api.serverState())
        // Time passes while the watch is open, as between real restarts.
        feed.clock.advance(by: .seconds(5))
        return feed
    }

    /// Changes made while the server is down, straight into its storage.
    static func changeWhileDown(_ api: TestAPI, round: Int) throws {
        let configmaps = try #require(api.server.store.resourceType(group: "", version: "v1", plural: "configmaps"))
        let store = api.server.store
        for i in 1..<4 {
            _ = try store.update(configmaps, namespace: "default", name: "cm-\(i)",
                                 body: ["apiVersion": "v1", "kind": "ConfigMap",
                                        "metadata": ["name": .string("cm-\(i)"), "namespace": "default"],
                                        "data": ["v": .string("down-\(round)")]])
        }
        _ = try store.delete(configmaps, namespace: "default", name: "cm-\(10 + round)")
        _ = try store.create(configmaps, namespace: "default",
                             body: ["apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": ["name": .string("new-\(round)"), "namespace": "default"]])
    }

    /// One outage of `seconds`: down, changes, back; returns the watcher time from the server's
    /// return to a cache equal to the server.
    static func outage(_ api: TestAPI, _ feed: Feed, seconds: Int, streams: OutageStreamEnd,
                       round: Int) async throws -> Duration {
        await api.server.beginOutage(streams: streams)
        try changeWhileDown(api, round: round)
        try await feed.sitOut(.seconds(seconds))
        api.server.endOutage()
        let back = feed.clock.now()
        let expected = try await api.serverState()
        _ = try await feed.converge(to: expected)
        #expect(feed.store.versions == expected, "the cache equals the server")
        return feed.clock.now() - back
    }

    @Test(arguments: [3, 10, 30], [OutageStreamEnd.dropped, .midChunk])
    func theCacheConvergesWithinTwoSecondsOfTheServersReturn(seconds: Int, streams: OutageStreamEnd) async throws {
        try await TestAPI.withServer { api in
            let feed = try await Self.startFeed(api)
            defer { feed.task.cancel() }
            let lists = api.server.requests.count(verb: "list", resource: "configmaps")
            let recovered = try await Self.outage(api, feed, seconds: seconds, streams: streams, round: 1)
            #expect(recovered <= .seconds(2), "converged \(recovered) after the server's return; \(feed.diagnostics)")
            #expect(feed.restarts(.serverGone) == 1, "the one broken stream counted as server_gone; \(feed.diagnostics)")
            #expect(feed.restarts(.error) >= 1, "the attempts while down counted as errors; \(feed.diagnostics)")
            // A server that closes every connection at once is still backed off: each attempt
            // waits at least 0.2 s minus jitter, and the waits grow to the 1.28–1.6 s cap.
            let retries = feed.failures.filter { $0.kind == .failed }
            #expect(retries.allSatisfy { $0.retryAfter >= .milliseconds(160) }, "\(retries.map(\.retryAfter))")
            #expect(retries.count <= seconds + 5, "\(retries.count) attempts in \(seconds) s")
            // Resumed from the last resourceVersion: no relist (the one extra list is serverState()'s).
            #expect(api.server.requests.count(verb: "list", resource: "configmaps") == lists + 1, "no relist")
        }
    }

    @Test func twoOutagesTwentySecondsApartEachConvergeWithinTwoSeconds() async throws {
        try await TestAPI.withServer { api in
            let feed = try await Self.startFeed(api)
            defer { feed.task.cancel() }
            let first = try await Self.outage(api, feed, seconds: 10, streams: .dropped, round: 1)
            #expect(first <= .seconds(2), "first outage: converged \(first) after the return")
            feed.clock.advance(by: .seconds(20))
            let before = feed.failures.count
            let second = try await Self.outage(api, feed, seconds: 10, streams: .midChunk, round: 2)
            #expect(second <= .seconds(2), "second outage: converged \(second) after the return")
            // The first outage's retries do not carry over: the reconnected watch reset the backoff.
            let retry = feed.failures.dropFirst(before).first { $0.kind == .failed }
            #expect(retry?.retryAfter ?? .zero > .zero && retry?.retryAfter ?? .seconds(1) <= .milliseconds(200),
                    "the second outage's first retry waits at most 0.2 s; \(feed.diagnostics)")
            #expect(feed.restarts(.serverGone) == 2, "\(feed.diagnostics)")
        }
    }
}

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
/// backoff deadline to the next while the server is down.
@Suite(.timeLimit(.minutes(3)))
struct RestartRecoveryTests {
    /// A watcher of ConfigMaps in `default` into a store, on a manual clock; `changes` ticks after
    /// every event it applied.
    final class Feed: Sendable {
        let store = KubeRuntime.Store<ConfigMap>()
        let clock = ManualClock()
        let changes = Pulse()
        let metrics = TestMetrics()
        let task: Task<Void, Never>

        init(_ api: TestAPI) {
            let source = KubeClientListWatch<ConfigMap>(client: TestAPI.client(api.server), namespace: "default")
            var configured = Watcher(source: source, pageSize: 50, clock: clock, logger: quietLogger)
            configured.metricsFactory = metrics
            let watcher = configured
            let (store, changes) = (store, changes)
            task = Task { await watcher.run { store.apply($0); changes.signal() } }
        }

        func restarts(_ reason: WatchRestartReason) -> Int64 {
            (try? metrics.expectCounter("watch_restarts_total",
                                        [("resource", ConfigMap.resource.description), ("reason", reason.rawValue)]))?
                .totalValue ?? 0
        }

        /// Waits (without moving the clock) until the cache has the version of every object in
        /// `expected` — or until the watcher sleeps on a timer due within `horizon`.
        func waitForCacheOrTimer(_ expected: [ObjectKey: String], horizon: Duration) async {
            while store.versions != expected {
                let seen = changes.generation
                let clock = self.clock
                await firstOf({ await self.changes.wait(after: seen) },
                              { await clock.waitForSleepers(1, dueWithin: horizon) },
                              cancel: { clock.kick(); self.changes.signal() })
                if clock.deadlines.contains(where: { $0 <= clock.now() + horizon }) { return }
            }
        }

        /// Moves the clock from one timer to the next until the cache equals `expected`; returns
        /// the watcher time that took.
        func converge(to expected: [ObjectKey: String]) async -> Duration {
            let start = clock.now()
            while store.versions != expected {
                await waitForCacheOrTimer(expected, horizon: .seconds(5))
                if store.versions == expected { break }
                if let next = clock.deadlines.first(where: { $0 <= clock.now() + .seconds(5) }) {
                    clock.advance(by: next - clock.now())
                }
            }
            return clock.now() - start
        }

        /// The server is down for `seconds` of watcher time: the clock moves from one retry to the
        /// next (each attempt fails at once) and stops exactly `seconds` after the start.
        func sitOut(_ seconds: Duration) async {
            let end = clock.now() + seconds
            while true {
                await clock.waitForSleepers(1, dueWithin: .seconds(5))
                guard let next = clock.deadlines.first, next < end else { break }
                clock.advance(by: next - clock.now())
            }
            clock.advance(by: end - clock.now())
        }
    }

    /// Runs the feed until its cache is ready, its watch is open and has delivered an event.
    static func startFeed(_ api: TestAPI) async throws -> Feed {
        for i in 0..<20 { _ = try await api.admin.create(ConfigMap("cm-\(i)", data: ["v": "0"])) }
        let feed = Feed(api)
        _ = try await api.admin.replace(ConfigMap("cm-0", data: ["v": "1"]))
        let expected = try await api.serverState()
        _ = await feed.converge(to: expected)
        // Time passes while the watch is open (so its end is not a "very short watch").
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
        api.server.beginOutage(streams: streams)
        try changeWhileDown(api, round: round)
        await feed.sitOut(.seconds(seconds))
        api.server.endOutage()
        let back = feed.clock.now()
        let expected = try await api.serverState()
        _ = await feed.converge(to: expected)
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
            #expect(recovered <= .seconds(2), "converged \(recovered) after the server's return")
            #expect(feed.restarts(.serverGone) >= 1, "the broken stream counted as server_gone")
            #expect(feed.restarts(.error) >= 1, "the attempts while down counted as errors")
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
            let second = try await Self.outage(api, feed, seconds: 10, streams: .midChunk, round: 2)
            #expect(second <= .seconds(2), "second outage: converged \(second) after the return")
        }
    }
}

/// A generation counter tasks can wait on: `signal()` bumps it and wakes every waiter.
final class Pulse: Sendable {
    private let state = Locked((generation: 0, waiters: [CheckedContinuation<Void, Never>]()))

    var generation: Int { state.withLock { $0.generation } }

    func signal() {
        let waiters = state.withLock { s in
            s.generation += 1
            let w = s.waiters
            s.waiters = []
            return w
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the generation is past `seen`.
    func wait(after seen: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.generation > seen { return true }
                s.waiters.append(c)
                return false
            }
            if ready { c.resume() }
        }
    }
}

/// Runs both waits, returns when the first finishes; `cancel` must release the other one (the
/// waits are not cancellation-aware).
func firstOf(_ a: @escaping @Sendable () async -> Void, _ b: @escaping @Sendable () async -> Void,
             cancel: @escaping @Sendable () -> Void) async {
    await withTaskGroup(of: Void.self) { group in
        group.addTask(operation: a)
        group.addTask(operation: b)
        await group.next()
        cancel()
        await group.waitForAll()
    }
}

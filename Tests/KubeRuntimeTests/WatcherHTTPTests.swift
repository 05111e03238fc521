import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing
@testable import KubeRuntime

/// The watcher and store over real HTTP (KubeClient → KubeTestServer on 127.0.0.1): forced 410s,
/// clean watch ends and dropped connections. (These once hung in full-suite runs: a PostgreSQL
/// server spawned by another suite inherited the process's sockets and kept connections the test
/// server had closed alive; see `SpawnTests` and docs/runtime.md.)
@Suite(.timeLimit(.minutes(4)))
struct WatcherHTTPTests {
    /// Runs a watcher of ConfigMaps in `default` into a store; events are also streamed to the test.
    final class Feed: Sendable {
        let store = KubeRuntime.Store<ConfigMap>()
        let events: AsyncStream<WatcherEvent<ConfigMap>>
        let task: Task<Void, Never>

        init(_ api: TestAPI, pageSize: Int = 7) {
            let source = KubeClientListWatch<ConfigMap>(client: TestAPI.client(api.server), namespace: "default")
            let watcher = Watcher(source: source, pageSize: pageSize, backoff: fastBackoff, logger: quietLogger)
            let (events, continuation) = AsyncStream<WatcherEvent<ConfigMap>>.makeStream()
            self.events = events
            let store = self.store
            task = Task { await watcher.run { store.apply($0); continuation.yield($0) } }
        }

        /// Consumes events until `done` holds; returns what was seen.
        func until(_ it: inout AsyncStream<WatcherEvent<ConfigMap>>.Iterator,
                   _ done: () -> Bool) async -> [WatcherEvent<ConfigMap>] {
            var seen: [WatcherEvent<ConfigMap>] = []
            while !done(), let e = await it.next() { seen.append(e) }
            return seen
        }
    }

    @Test func forced410RelistsAndFinalCacheEqualsServerState() async throws {
        try await TestAPI.withServer { api in
            for i in 0..<30 { _ = try await api.admin.create(ConfigMap("cm-\(i)", data: ["v": "0"])) }
            let feed = Feed(api)
            defer { feed.task.cancel() }
            var it = feed.events.makeAsyncIterator()
            _ = await feed.until(&it) { feed.store.isReady }
            #expect(feed.store.count == 30)

            // Break the watch and keep it down, change things meanwhile, and compact the history.
            api.server.faults.fail(RequestMatcher(verb: "watch", resource: "configmaps"), count: 1_000_000, code: 500)
            api.server.store.cutWatches()
            for i in 0..<5 { try await api.admin.delete(ConfigMap.self, namespace: "default", name: "cm-\(i)") }
            for i in 5..<10 { _ = try await api.admin.replace(ConfigMap("cm-\(i)", data: ["v": "1"])) }
            for i in 30..<33 { _ = try await api.admin.create(ConfigMap("cm-\(i)", data: ["v": "0"])) }
            api.server.store.compactHistory()
            api.server.faults.reset()

            let expected = try await api.serverState()
            let seen = await feed.until(&it) { feed.store.versions == expected }
            #expect(feed.store.versions == expected, "final cache equals server state")
            #expect(seen.contains { if case .error(let e) = $0 { e.kind == .gone } else { false } }, "a 410 forced a relist")
            #expect(feed.store.get(ObjectKey(namespace: "default", name: "cm-0")) == nil, "no ghost of a deleted object")
        }
    }

    @Test func cutWatchesRecoverWithNoLostUpdate() async throws {
        try await TestAPI.withServer { api in
            for i in 0..<10 { _ = try await api.admin.create(ConfigMap("cm-\(i)", data: ["v": "0"])) }
            let feed = Feed(api)
            defer { feed.task.cancel() }
            var it = feed.events.makeAsyncIterator()
            _ = await feed.until(&it) { feed.store.isReady }
            let lists = api.server.requests.count(verb: "list", resource: "configmaps")
            for round in 1...15 {
                for i in 0..<10 { _ = try await api.admin.replace(ConfigMap("cm-\(i)", data: ["v": "\(round)"])) }
                // The round's updates reached the cache, so a watch is open: cutting it really cuts.
                _ = await feed.until(&it) { feed.store.list().allSatisfy { $0.data?["v"] == "\(round)" } }
                // Alternate a clean end of every watch and an abrupt connection drop.
                if round % 2 == 0 { api.server.store.cutWatches() } else { api.server.dropConnections() }
            }
            _ = try await api.admin.create(ConfigMap("last"))
            let expected = try await api.serverState() // the test's own list of configmaps
            _ = await feed.until(&it) { feed.store.versions == expected }
            #expect(feed.store.versions == expected)
            #expect(feed.store.list().filter { $0.metadata.name != "last" }.allSatisfy { $0.data?["v"] == "15" })
            // The first watch plus one after each of the 15 cuts, each resumed from the last version
            // seen: no relist (the one extra list is `serverState()`'s).
            let watches = api.server.requests.count(verb: "watch", resource: "configmaps")
            #expect(watches >= 16, "\(watches) watches")
            #expect(api.server.requests.count(verb: "list", resource: "configmaps") == lists + 1, "no relist")
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTestServer
import Synchronization

/// Watch recovery after API server restarts: a `Watcher` (default settings, real clock) keeps a
/// `Store` of 200 ConfigMaps in sync with KubeTestServer over loopback HTTP. Twenty times: the server
/// goes down (`beginOutage`, streams ended alternately between chunks and mid-chunk) for 1–5 s,
/// objects change in its storage meanwhile, it comes back; measured: time from its return to a
/// cache equal to the server's state.
enum RestartBenchmark {
    static let restarts = 20

    static func run() async throws {
        let server = try await KubeTestServer.start()
        let client = KubeClient(config: KubeClientConfig(server: server.url, credentials: .token(KubeTestServer.adminToken)),
                                logger: benchLogger)
        let configmaps = try require(server.store.resourceType(group: "", version: "v1", plural: "configmaps"))
        for i in 0..<200 {
            _ = try server.store.create(configmaps, namespace: "default", body: body("cm-\(i)", value: "0"))
        }
        let store = KubeRuntime.Store<StampedConfigMap>()
        let watcher = Watcher(source: KubeClientListWatch<StampedConfigMap>(client: client, namespace: "default"),
                              logger: benchLogger)
        let running = Task { await watcher.run { store.apply($0) } }
        await store.waitUntilReady()

        var generator = SystemRandomNumberGenerator()
        var recoveries: [Double] = []
        for round in 1...restarts {
            // Let the new watch settle, as between real restarts.
            try await Task.sleep(for: .milliseconds(Int.random(in: 500...1500, using: &generator)))
            await server.beginOutage(streams: round % 2 == 0 ? .midChunk : .dropped)
            for i in 0..<5 {
                let name = "cm-\((round * 7 + i) % 200)"
                _ = try server.store.update(configmaps, namespace: "default", name: name,
                                            body: body(name, value: "\(round)"))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1000...5000, using: &generator)))
            let expected = versions(try server.store.list(WatchFilter(type: configmaps, namespace: "default")).items)
            server.endOutage()
            let back = ContinuousClock.now
            while versions(store.list()) != expected {
                try await Task.sleep(for: .milliseconds(1))
                if ContinuousClock.now - back > .seconds(60) { break }
            }
            recoveries.append((ContinuousClock.now - back).seconds)
        }
        running.cancel()
        try? await server.stop()
        let sorted = recoveries.sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        print(String(format: "watch recovery after %d API server restarts (1–5 s down): p50 %.3f s, p99 %.3f s, max %.3f s",
                     restarts, pct(0.5), pct(0.99), sorted.last ?? 0))
    }

    static func body(_ name: String, value: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"],
         "data": ["t": .string(value)]]
    }

    static func versions(_ objects: [StampedConfigMap]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: objects.map { ($0.metadata.name ?? "", $0.metadata.resourceVersion ?? "") })
    }

    static func versions(_ objects: [JSONValue]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: objects.map {
            ($0["metadata"]?["name"]?.stringValue ?? "", $0["metadata"]?["resourceVersion"]?.stringValue ?? "")
        })
    }
}

/// Unwraps or throws (the benchmark has no test framework).
func require<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw BenchmarkFailure(message: message) }
    return value
}

struct BenchmarkFailure: Error {
    var message: String
}

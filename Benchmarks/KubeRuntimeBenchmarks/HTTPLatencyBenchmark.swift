import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTestServer
import Synchronization

/// A ConfigMap carrying its write's send time (ns since `origin`) in `data.t`.
struct StampedConfigMap: KubeResource {
    static let resource = ResourceDescriptor(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap",
                                             namespaced: true)
    var metadata: ObjectMeta
    var data: [String: String]?
}

/// Write → reconcile start over loopback HTTP: KubeTestServer in process, writes through KubeClient
/// (4 writers pacing 1,000 writes/s in total over 1,000 keys), the controller watching through its
/// own KubeClient. Each object carries its send time; the reconcile measures now − send time for the
/// state it reads. This includes the write request itself, so it bounds event → reconcile from above.
enum HTTPLatencyBenchmark {
    static let origin = ContinuousClock.now

    static func nanos() -> Int64 { (ContinuousClock.now - origin).nanoseconds }

    static func run() async throws {
        let server = try await KubeTestServer.start()
        let config = KubeClientConfig(server: server.url, credentials: .token(KubeTestServer.adminToken))
        let latencies = Mutex<[Double]>([])
        let storeBox = Mutex<KubeRuntime.Store<StampedConfigMap>?>(nil)
        let controller = Controller(name: "bench-http",
                                    primary: KubeClientListWatch<StampedConfigMap>(client: KubeClient(config: config),
                                                                                   namespace: "default"),
                                    workers: 4, logger: benchLogger) { key in
            let now = nanos()
            if let sent = storeBox.withLock({ $0?.get(key) })?.data?["t"].flatMap({ Int64($0) }) {
                latencies.withLock { $0.append(Double(now - sent) / 1e6) }
            }
            return .awaitChange
        }
        storeBox.withLock { $0 = controller.store }
        let running = Task { await controller.run() }
        await controller.store.waitUntilReady()

        let keys = 1000, total = 10_000, writers = 4
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    let client = KubeClient(config: config)
                    var i = w
                    while i < total {
                        try? await Task.sleep(until: start + .microseconds(Int64(i) * 1000), clock: .continuous)
                        let name = "cm-\(i % keys)"
                        let cm = StampedConfigMap(metadata: ObjectMeta(name: name, namespace: "default"),
                                                  data: ["t": "\(nanos())"])
                        if i < keys { _ = try await client.create(cm) } else { _ = try await client.replace(cm) }
                        i += writers
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - start).seconds
        // Let the tail drain (bounded).
        for _ in 0..<200 where latencies.withLock({ $0.count }) < total { try? await Task.sleep(for: .milliseconds(10)) }
        running.cancel()
        try? await server.stop()
        let sorted = latencies.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { print("http latency: no reconciles"); return }
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "write→reconcile start over loopback HTTP (%.0f writes/s, %d reconciles of %d writes): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                     Double(total) / elapsed, sorted.count, total, pct(0.5), pct(0.99), sorted.last ?? 0))
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

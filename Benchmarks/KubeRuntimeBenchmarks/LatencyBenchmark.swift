import Foundation
import KubeAPI
import KubeRuntime
import Synchronization

/// A push-driven source: an empty list, then every `send` is a watch event.
final class PushSource: ListWatchSource {
    typealias Object = BenchObject
    let continuation = Mutex<AsyncThrowingStream<WatchEvent<BenchObject>, any Error>.Continuation?>(nil)

    func list(limit: Int, continueToken: String?) async throws -> KubeList<BenchObject> {
        KubeList(metadata: ListMeta(resourceVersion: "1"), items: [])
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<BenchObject>, any Error> {
        let (stream, c) = AsyncThrowingStream<WatchEvent<BenchObject>, any Error>.makeStream()
        continuation.withLock { $0 = c }
        return stream
    }

    var isWatching: Bool { continuation.withLock { $0 != nil } }

    func send(_ o: BenchObject) {
        continuation.withLock { c in _ = c?.yield(.modified(o)) }
    }
}

/// Send time of the oldest not-yet-reconciled event per key (conservative under coalescing).
final class Stamps: Sendable {
    let state = Mutex<(pending: [ObjectKey: ContinuousClock.Instant], latencies: [Double])>(([:], []))

    func sent(_ key: ObjectKey, at t: ContinuousClock.Instant) {
        state.withLock { s in if s.pending[key] == nil { s.pending[key] = t } }
    }

    func started(_ key: ObjectKey) {
        let now = ContinuousClock.now
        state.withLock { s in
            if let t = s.pending.removeValue(forKey: key) { s.latencies.append((now - t).seconds * 1000) }
        }
    }
}

/// Event → reconcile start latency, in process (watch stream → watcher → store → queue → worker):
/// 10,000 events at a steady 1,000/s over 1,000 keys.
enum LatencyBenchmark {
    static func run() async {
        let source = PushSource()
        let stamps = Stamps()
        let controller = Controller(name: "bench", primary: source, workers: 4, logger: benchLogger) { key in
            stamps.started(key)
            return .awaitChange
        }
        let running = Task { await controller.run() }
        while !source.isWatching { await Task.yield() }
        let objects = (0..<1000).map { BenchObject.make($0) }
        let start = ContinuousClock.now
        let total = 10_000
        for i in 0..<total {
            // Pace at 1,000/s: send in 1 ms slots (10 per 10 ms tick to stay clear of timer granularity).
            if i % 10 == 0 {
                try? await Task.sleep(until: start + .milliseconds(i), clock: .continuous)
            }
            let o = objects[i % objects.count]
            stamps.sent(o.objectKey!, at: ContinuousClock.now)
            source.send(o)
        }
        let sendElapsed = (ContinuousClock.now - start).seconds
        while stamps.state.withLock({ !$0.pending.isEmpty }) { try? await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        let sorted = stamps.state.withLock { $0.latencies }.sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "event→reconcile start (in process, %.0f events/s, %d reconciles): p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                     Double(total) / sendElapsed, sorted.count, pct(0.5), pct(0.99), sorted.last ?? 0))
    }
}

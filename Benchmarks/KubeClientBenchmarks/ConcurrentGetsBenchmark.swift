import Foundation
import Synchronization
import KubeAPI
import KubeClient

/// 1,000 concurrent GETs through the shared curl loop: thread count before/peak/after and latency percentiles.
enum ConcurrentGetsBenchmark {
    static func run() async {
        do {
            let server = try await BenchServer()
            let client = KubeClient(config: KubeClientConfig(server: server.url, namespace: "default"), retryPolicy: .none)
            _ = try await client.get(Pod.self, name: "x")  // warm up: starts the loop thread
            let before = ProcessStats.threads
            for round in 1...3 {
                let peak = PeakThreads()
                let sampler = Task { while !Task.isCancelled { peak.sample(); try? await Task.sleep(for: .milliseconds(5)) } }
                let start = ContinuousClock.now
                let latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
                    for _ in 0..<1000 {
                        group.addTask {
                            let t = ContinuousClock.now
                            _ = try await client.get(Pod.self, name: "x")
                            return ContinuousClock.now - t
                        }
                    }
                    var all: [Duration] = []
                    for try await l in group { all.append(l) }
                    return all.sorted()
                }
                let total = ContinuousClock.now - start
                sampler.cancel()
                print("gets round \(round): 1000 concurrent GETs in \(ProcessStats.ms(total)); p50 \(ProcessStats.ms(ProcessStats.percentile(latencies, 0.5))), "
                      + "p99 \(ProcessStats.ms(ProcessStats.percentile(latencies, 0.99))); threads before \(before), peak \(peak.peak), "
                      + "after \(ProcessStats.threads)")
            }
            try await server.shutdown()
        } catch {
            print("gets benchmark failed: \(error)")
        }
    }
}

/// The highest thread count sampled.
final class PeakThreads: Sendable {
    private let value = Mutex(0)
    func sample() {
        let t = ProcessStats.threads
        value.withLock { $0 = Swift.max($0, t) }
    }
    var peak: Int { value.withLock { $0 } }
}

import Foundation
import KubeRuntime
import Logging

/// Benchmarks log only warnings and errors, so their result lines stay clean.
let benchLogger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    return logger
}()

/// Work-queue throughput: adds per second (with dedup of queued keys), and full
/// add → next → done cycles per second with one consumer.
enum QueueBenchmark {
    static func run() {
        let keys = (0..<10_000).map { ObjectKey(namespace: "ns", name: "obj-\($0)") }
        let queue = WorkQueue(name: "bench")
        let adds = 2_000_000
        let start = ContinuousClock.now
        for i in 0..<adds { queue.add(keys[i % keys.count]) }
        let elapsed = (ContinuousClock.now - start).seconds
        print(String(format: "queue.add: %d adds in %.3f s = %.0f adds/s (depth %d)",
                     adds, elapsed, Double(adds) / elapsed, queue.depth))

        let cycleQueue = WorkQueue(name: "cycle")
        let cycles = 300_000
        let done = DispatchSemaphore(value: 0)
        let t0 = ContinuousClock.now
        Task {
            for _ in 0..<cycles {
                guard let k = await cycleQueue.next() else { break }
                cycleQueue.done(k)
            }
            done.signal()
        }
        for i in 0..<cycles { cycleQueue.add(ObjectKey(namespace: "ns", name: "c\(i)")) }
        done.wait()
        let cycleElapsed = (ContinuousClock.now - t0).seconds
        print(String(format: "queue add+next+done: %d distinct keys in %.3f s = %.0f cycles/s",
                     cycles, cycleElapsed, Double(cycles) / cycleElapsed))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

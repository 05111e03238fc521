import Dispatch
import Synchronization
import Testing
@testable import KubeClient

/// `H2Loop`'s wake-up handshake (`enqueue` and the thread's `sleeping` flag): many threads enqueue
/// while the loop keeps falling asleep and waking up. A lost wake-up leaves an operation queued
/// with the thread asleep in `epoll_wait` — with no connection and no timer it waits forever —
/// so one of the waits below never returns and the suite's time limit fails the test; no
/// assertion depends on timing.
@Suite(.timeLimit(.minutes(1))) struct HTTP2LoopWakeUpTests {
    /// Blocks a thread of its own (never a pool thread) until `semaphore` has been signalled
    /// `count` times.
    static func waitOffPool(_ semaphore: DispatchSemaphore, count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            LoopThread.start(name: "wake-test-wait", stackSize: 256 << 10) {
                for _ in 0..<count { semaphore.wait() }
                c.resume()
            }
        }
    }

    @Test func manyThreadsEnqueuingWhileTheLoopSleepsAndWakesLoseNoWakeUp() async {
        let loop = H2Loop()
        defer { loop.shutdown() }
        let threads = 8
        let rounds = 4000
        let ran = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            LoopThread.start(name: "wake-test-\(t)", stackSize: 256 << 10) {
                let mine = DispatchSemaphore(value: 0)
                for i in 0..<rounds {
                    // Thread 0 waits for every operation (the loop sleeps between them), thread t
                    // for every (t+1)-th; the others are fire-and-forget, racing the loop's sleep.
                    if i % (t + 1) == 0 {
                        loop.enqueue(.inspect { _ in
                            ran.add(1, ordering: .relaxed)
                            mine.signal()
                        })
                        mine.wait()
                    } else {
                        loop.enqueue(.inspect { _ in ran.add(1, ordering: .relaxed) })
                    }
                }
                finished.signal()
            }
        }
        await Self.waitOffPool(finished, count: threads)
        // Fire-and-forget operations queued last still run: this one runs after them.
        _ = await loop.connectionCount()
        #expect(ran.load(ordering: .relaxed) == threads * rounds)
    }

    @Test func wakeUpsFromAsyncTasksAndTheLoopsOwnThreadLoseNone() async {
        let loop = H2Loop()
        defer { loop.shutdown() }
        // Operations that enqueue the next from the loop's own thread (as its resolver path
        // does), while tasks on the pool enqueue and await theirs.
        let chained = DispatchSemaphore(value: 0)
        let chains = 4
        let length = 500
        @Sendable func chain(_ left: Int) -> H2Loop.Operation {
            .inspect { _ in
                if left == 0 { chained.signal() } else { loop.enqueue(chain(left - 1)) }
            }
        }
        for _ in 0..<chains { loop.enqueue(chain(length)) }
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var total = 0
                    for _ in 0..<200 { total += await loop.connectionCount() }
                    return total
                }
            }
            for await total in group { #expect(total == 0) }
        }
        await Self.waitOffPool(chained, count: chains)
    }
}

import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TestSupport
import Testing
@testable import KubeClient

/// `H2Loop`'s wake-up handshake (`enqueue` and the thread's `sleeping` flag): many threads enqueue
/// while the loop keeps falling asleep and waking up. A lost wake-up leaves an operation queued
/// with the thread asleep in `epoll_wait` — with no connection and no timer it waits forever —
/// so one of the waits below would never return. The suite's time limit cannot end a
/// continuation that is never resumed, so a `Rescue` does: after 120 s it marks the test failed and
/// from then on wakes the loop unconditionally every half second, which runs what was left queued
/// and lets the test end, failed, instead of hanging the run. No assertion depends on timing: with
/// no lost wake-up the rescue is stopped long before it fires.
@Suite(.timeLimit(.minutes(1))) struct HTTP2LoopWakeUpTests {
    /// See above. `stop()` returns whether it had to step in (a lost wake-up).
    final class Rescue: Sendable {
        private final class State: Sendable {
            let stopped = Atomic<Bool>(false)
            let fired = Atomic<Bool>(false)
        }
        private let state = State()
        private let timer: WallTimer

        init(_ loop: H2Loop) {
            let state = self.state
            timer = WallTimer(after: .seconds(120)) {
                guard !state.stopped.load(ordering: .acquiring) else { return }
                state.fired.store(true, ordering: .releasing)
                LoopThread.start(name: "wake-test-rescue", stackSize: 256 << 10) {
                    while !state.stopped.load(ordering: .acquiring) {
                        loop.wakeUnconditionally()
                        usleep(500_000)
                    }
                }
            }
        }

        func stop() -> Bool {
            state.stopped.store(true, ordering: .releasing)
            timer.cancel()
            return state.fired.load(ordering: .acquiring)
        }
    }

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
        let rescue = Rescue(loop)
        defer {
            #expect(!rescue.stop(), "a wake-up was lost: operations were still waiting after 120 s")
            loop.shutdown()
        }
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
        let rescue = Rescue(loop)
        defer {
            #expect(!rescue.stop(), "a wake-up was lost: operations were still waiting after 120 s")
            loop.shutdown()
        }
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

    /// Operations that keep arriving as fast as the thread handles them (here one that enqueues
    /// itself again) must not keep it in its drain: it still waits on epoll, so a connect to a
    /// closed port fails instead of waiting forever for the readiness nobody collects
    /// (`H2Loop.maxDrains`). Without the cap the request never completes; a wall-clock timer then
    /// ends the endless operations after 45 s (within the suite's time limit), which lets it complete
    /// and fails the test.
    @Test func anEndlessStreamOfOperationsDoesNotStarveTheTurn() async throws {
        let loop = H2Loop()
        defer { loop.shutdown() }
        let ended = Atomic<Bool>(false)
        let starved = Atomic<Bool>(false)
        @Sendable func again() -> H2Loop.Operation {
            .inspect { _ in if !ended.load(ordering: .acquiring) { loop.enqueue(again()) } }
        }
        let timer = WallTimer(after: .seconds(45)) {
            starved.store(true, ordering: .releasing)
            ended.store(true, ordering: .releasing)
        }
        loop.enqueue(again())
        let target = try #require(RequestTarget(url: "https://127.0.0.1:1/"))
        let result: Result<HTTPResponse, TransportFailure>
        do {
            result = .success(try await loop.perform(HTTPRequest(method: "GET", url: "https://127.0.0.1:1/", timeout: .seconds(120)), target))
        } catch {
            result = .failure(error)
        }
        ended.store(true, ordering: .releasing)
        timer.cancel()
        let wasStarved = starved.load(ordering: .acquiring)
        #expect(!wasStarved, "the request completed only once the endless operations stopped")
        guard case .failure(.curl(let code, message: _)) = result else {
            Issue.record("expected a connect failure, got \(result)")
            return
        }
        #expect(code == 7, "connection refused is curl's 7")
    }
}

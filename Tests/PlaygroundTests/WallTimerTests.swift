import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

/// `TestSupport.WallTimer`, the deadline of every bounded child-process wait: it must fire while
/// Swift's cooperative pool has no thread free (a full `swift test` run on 2 cores), which a
/// `Task.sleep` deadline cannot — it needs a pool thread to start and to end.
struct WallTimerTests {
    @Test func firesWhileEveryCooperativeThreadIsBlocked() async {
        let width = ProcessInfo.processInfo.activeProcessorCount
        let release = DispatchSemaphore(value: 0)
        let releasedBy = Mutex<String?>(nil)
        let releaseAll: @Sendable (String) -> Void = { who in
            let first = releasedBy.withLock { r -> Bool in
                guard r == nil else { return false }
                r = who
                return true
            }
            if first { for _ in 0..<width { release.signal() } }
        }
        // Unblocks the pool after 30 s whatever happens, so a timer that needs the pool fails the
        // test instead of hanging the run.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 30)
            releaseAll("the fallback thread")
        }
        let timer = WallTimer(after: .milliseconds(100)) { releaseAll("the timer") }
        defer { timer.cancel() }
        // Every pool thread waits for the release (a synchronous wait, as a blocking test does).
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<width { group.addTask { release.wait() } }
        }
        #expect(releasedBy.withLock { $0 } == "the timer")
    }

    @Test func aCancelledTimerNeverFires() async throws {
        let fired = Atomic<Bool>(false)
        let timer = WallTimer(after: .milliseconds(50)) { fired.store(true, ordering: .relaxed) }
        timer.cancel()
        // A second timer, later on the same serial queue, proves the first one's time has passed.
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            _ = WallTimer(after: .milliseconds(150)) { c.resume() }
        }
        let didFire = fired.load(ordering: .relaxed)
        #expect(!didFire)
    }
}

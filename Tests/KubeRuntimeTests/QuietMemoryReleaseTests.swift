import Testing
import KubeClient
@testable import KubeRuntime

private func key(_ n: Int) -> ObjectKey { ObjectKey(namespace: "ns", name: "obj-\(n)") }

/// `QuietMemoryRelease` over real work queues and a manual clock: memory is given back after a
/// burst drains, never while a queue holds or processes a key, and not again without new work or
/// before the interval has passed.
@Suite(.timeLimit(.minutes(1))) struct QuietMemoryReleaseTests {
    static let tick: Duration = .seconds(1)
    static let policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)

    /// The loop under test, the queues it samples, and what it released.
    final class Harness: Sendable {
        let clock = ManualClock()
        let queues = [WorkQueue(name: "a"), WorkQueue(name: "b")]
        /// When each release happened, and whether a queue was busy then.
        let releases = Locked<[(at: MonotonicInstant, busy: Bool)]>([])
        /// When each periodic trim happened, and on which thread.
        let trims = Locked<[(at: MonotonicInstant, thread: String?)]>([])
        let task: Task<Void, Never>

        init() {
            let clock = clock, queues = queues, releases = releases, trims = trims
            task = Task {
                await QuietMemoryRelease.run(queues: queues, policy: QuietMemoryReleaseTests.policy,
                                             tick: QuietMemoryReleaseTests.tick, clock: clock, trimEvery: .seconds(60),
                                             trim: {
                    await OffPoolThread.run(name: "trim-test") {
                        trims.withLock { $0.append((clock.now(), LoopThread.currentName())) }
                    }
                }) {
                    let busy = queues.contains { $0.stats.depth > 0 || $0.stats.processing > 0 }
                    releases.withLock { $0.append((clock.now(), busy)) }
                }
            }
        }

        deinit { task.cancel() }

        /// Moves time on by `count` ticks, waiting each time until the loop has taken its sample
        /// and sleeps again (no timing: the clock tells when the loop is asleep).
        func step(_ count: Int) async {
            for _ in 0..<count {
                await clock.waitForSleepers(1)
                clock.advance(by: QuietMemoryReleaseTests.tick)
                await clock.waitForSleepers(1)
            }
        }

        var count: Int { releases.withLock { $0.count } }

        func add(_ n: Int, to queue: Int = 0, from first: Int = 0) {
            for i in first..<(first + n) { queues[queue].add(key(i)) }
        }

        func drain(_ queue: Int, leaving: Int = 0) async {
            while queues[queue].depth > leaving {
                guard let k = await queues[queue].next() else { return }
                queues[queue].done(k)
            }
        }
    }

    @Test func releasesOnceAfterABurstDrainsAndNeverDuringIt() async {
        let h = Harness()
        h.add(150, to: 0)
        h.add(10, to: 1)
        await h.step(20)
        #expect(h.count == 0, "keys are queued: the burst is still on")

        await h.drain(1)
        await h.drain(0, leaving: 1)
        let last = await h.queues[0].next()!
        await h.step(20)
        #expect(h.count == 0, "a key is being processed")

        h.queues[0].done(last)
        await h.step(5)
        #expect(h.count == 0, "quiet for less than 5 s (the first quiet sample starts the count)")
        await h.step(1)
        #expect(h.count == 1, "quiet for 5 s after 160 adds")

        await h.step(200)
        #expect(h.count == 1, "no new work, no second release")
        #expect(h.releases.withLock { $0.allSatisfy { !$0.busy } })
    }

    @Test func releasesAgainOnlyAfterEnoughWorkAndTheInterval() async {
        let h = Harness()
        h.add(100)
        await h.drain(0)
        await h.step(6)
        #expect(h.count == 1)
        let first = h.releases.withLock { $0[0].at }

        // A second burst right away: drained and quiet long before the interval is over.
        h.add(200, from: 1000)
        await h.drain(0)
        await h.step(59)
        #expect(h.count == 1, "at most one release a minute")
        await h.step(1)
        #expect(h.count == 2)
        #expect(h.releases.withLock { $0[1].at } - first == .seconds(60))

        // Less work than the minimum since the last release: nothing, however long it is quiet.
        h.add(99, from: 2000)
        await h.drain(0)
        await h.step(300)
        #expect(h.count == 2, "99 adds are not a burst")
        h.add(1, from: 3000)
        await h.drain(0)
        await h.step(6)
        #expect(h.count == 3, "the 100th add since the last release is")
    }

    @Test func aQueueThatStaysBusyPostponesTheReleaseIndefinitely() async {
        let h = Harness()
        h.add(500)
        for round in 0..<30 {
            // A key every second keeps queue b busy at every sample while a drains.
            h.queues[1].add(key(round))
            await h.step(1)
        }
        await h.drain(0)
        await h.step(20)
        #expect(h.count == 0, "queue b still holds 30 keys")
        await h.drain(1)
        await h.step(6)
        #expect(h.count == 1)
    }

    /// A process that never goes quiet still trims every 60 s (on a thread of its own, not the
    /// concurrency pool); a release restarts that count.
    @Test func aBusyProcessStillTrimsEveryMinute() async {
        let h = Harness()
        h.add(500)
        await h.step(200)
        #expect(h.count == 0, "always busy")
        #expect(h.trims.withLock { $0.map(\.at.sinceOrigin) } == [.seconds(60), .seconds(120), .seconds(180)])
        #expect(h.trims.withLock { $0.allSatisfy { $0.thread == "trim-test" } })

        await h.drain(0)
        await h.step(6)
        #expect(h.count == 1, "quiet at t = 206: a release (which trims too)")
        await h.step(59)
        #expect(h.trims.withLock { $0.count } == 3, "less than 60 s since the release")
        await h.step(1)
        #expect(h.trims.withLock { $0.last?.at.sinceOrigin } == .seconds(266))
    }
}

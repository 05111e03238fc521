import Testing
@testable import KubeRuntime

private func key(_ n: Int) -> ObjectKey { ObjectKey(namespace: "ns", name: "obj-\(n)") }

@Suite(.timeLimit(.minutes(1))) struct WorkQueueTests {
    @Test func addsOfAQueuedKeyDeduplicate() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        q.add(key(1)); q.add(key(1)); q.add(key(2))
        #expect(q.depth == 2)
        #expect(await q.next() == key(1))
        #expect(await q.next() == key(2))
        #expect(q.stats.adds == 3)
    }

    @Test func addsDuringProcessingCoalesceIntoOneRerun() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        q.add(key(1))
        let k = await q.next()
        #expect(k == key(1))
        q.add(key(1)); q.add(key(1)); q.add(key(1))
        #expect(q.depth == 0, "a key being processed must not be handed to another worker")
        q.done(key(1))
        #expect(q.depth == 1)
        #expect(await q.next() == key(1))
        q.done(key(1))
        #expect(q.depth == 0, "three adds during processing give exactly one re-run")
    }

    @Test func requeueAfterIsHonoured() async {
        let clock = ManualClock()
        let q = WorkQueue(name: "t", clock: clock)
        q.add(key(1), after: .seconds(5))
        await clock.waitForSleepers(1)
        // The timer sleeps until exactly 5 s: an earlier one would be woken (and removed) below.
        #expect(clock.deadlines == [MonotonicInstant(sinceOrigin: .seconds(5))])
        clock.advance(by: .milliseconds(4999))
        #expect(q.depth == 0 && q.delayedCount == 1)
        #expect(clock.sleeperCount == 1, "still waiting at 4.999 s")
        clock.advance(by: .milliseconds(1))
        #expect(await q.next() == key(1))
        #expect(q.delayedCount == 0)
    }

    @Test func earliestDelayedRequeueWins() async {
        let clock = ManualClock()
        let q = WorkQueue(name: "t", clock: clock)
        q.add(key(1), after: .seconds(10))
        q.add(key(1), after: .seconds(2))
        q.add(key(1), after: .seconds(5))
        #expect(q.delayedCount == 1)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == MonotonicInstant(sinceOrigin: .seconds(2)))
        clock.advance(by: .seconds(2))
        #expect(await q.next() == key(1))
        q.done(key(1))
        // The superseded 10 s request left no live entry: nothing fires later.
        #expect(q.delayedCount == 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func rateLimitedRetriesAreCountedAndForgotten() async {
        let clock = ManualClock()
        let q = WorkQueue(name: "t", clock: clock, rateLimiter: PerKeyExponentialRateLimiter())
        q.add(key(1))
        _ = await q.next()
        q.addRateLimited(key(1))
        q.done(key(1))
        #expect(q.retries(of: key(1)) == 1)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == MonotonicInstant(sinceOrigin: .milliseconds(5)))
        clock.advance(by: .milliseconds(5))
        #expect(await q.next() == key(1))
        q.addRateLimited(key(1))
        q.done(key(1))
        #expect(q.retries(of: key(1)) == 2)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == MonotonicInstant(sinceOrigin: .milliseconds(15)))
        q.forget(key(1))
        #expect(q.retries(of: key(1)) == 0)
        #expect(q.stats.retries == 2)
    }

    @Test func shutDownReleasesWaitersAndDrainWaitsForInFlight() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        q.add(key(1))
        let k = await q.next()
        let nextReturned = Locked(false)
        let waiting = Task { let k = await q.next(); nextReturned.withLock { $0 = true }; return k }
        // Shut down only once the second worker is parked in `next()`.
        await yieldUntil { q.withState { $0.waiters.count } == 1 || nextReturned.value }
        #expect(!nextReturned.value, "next() must wait while the queue is empty")
        q.shutDown()
        #expect(await waiting.value == nil)
        q.add(key(2))
        #expect(q.depth == 0, "adds after shutdown are ignored")
        let drainReturned = Locked(false)
        let drained = Task { await q.drain(); drainReturned.withLock { $0 = true } }
        await yieldUntil { q.withState { $0.drainWaiters.count } == 1 || drainReturned.value }
        #expect(!drainReturned.value, "drain() must wait for the key in flight")
        #expect(q.isProcessing(key(1)))
        q.done(k!)
        await drained.value
        #expect(drainReturned.value && !q.isProcessing(key(1)))
        #expect(await q.next() == nil)
    }

    @Test func cancelledWaiterGetsNil() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        let task = Task { await q.next() }
        // Cancel the waiter once it is parked, so the cancellation handler (not the entry check) answers.
        await yieldUntil { q.withState { $0.waiters.count } == 1 }
        task.cancel()
        #expect(await task.value == nil)
        #expect(q.withState { $0.waiters.isEmpty }, "the cancelled waiter is removed")
        q.add(key(1))
        #expect(q.depth == 1, "the key of a cancelled waiter is not lost")
    }

    /// 1,000 adds over 100 keys, 8 workers: a key is never processed by two workers at once, and
    /// every key is processed after its last add (no lost update).
    @Test func eightWorkersNeverOverlapAKey() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        struct Tally: Sendable {
            var inFlight: Set<ObjectKey> = []
            var overlaps = 0
            var lastAddSeq: [ObjectKey: Int] = [:]
            var lastSeenSeq: [ObjectKey: Int] = [:]
            var seq = 0
        }
        let tally = Locked(Tally())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while let k = await q.next() {
                        let seen = tally.withLock { t -> Int in
                            if !t.inFlight.insert(k).inserted { t.overlaps += 1 }
                            return t.seq
                        }
                        await Task.yield()
                        tally.withLock { t in
                            t.inFlight.remove(k)
                            t.lastSeenSeq[k] = max(t.lastSeenSeq[k] ?? -1, seen)
                        }
                        q.done(k)
                    }
                }
            }
            group.addTask {
                for i in 0..<1000 {
                    let k = key(i % 100)
                    tally.withLock { t in t.seq += 1; t.lastAddSeq[k] = t.seq }
                    q.add(k)
                    if i % 7 == 0 { await Task.yield() }
                }
                // Wait until everything is processed, then stop the workers.
                while q.depth > 0 || q.stats.processing > 0 { await Task.yield() }
                q.shutDown()
            }
        }
        let t = tally.value
        #expect(t.overlaps == 0)
        #expect(t.lastAddSeq.count == 100)
        for (k, added) in t.lastAddSeq {
            #expect((t.lastSeenSeq[k] ?? -1) >= added, "\(k) was not processed after its last add")
        }
    }
}

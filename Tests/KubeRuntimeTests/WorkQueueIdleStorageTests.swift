import Testing
@testable import KubeRuntime

private func key(_ n: Int) -> ObjectKey { ObjectKey(namespace: "ns", name: "object-number-\(n)") }

/// A drained queue gives back the storage its burst grew (`WorkQueue.releaseIdleStorage`), and the
/// release changes nothing a caller sees: keys keep their order, dirty re-runs and deadlines.
@Suite(.timeLimit(.minutes(1))) struct WorkQueueIdleStorageTests {
    /// The capacities of every table and buffer of the queue.
    static func capacities(_ q: WorkQueue) -> [Int] {
        q.withState { s in
            [s.queue.capacity, s.dirty.capacity, s.processing.capacity, s.queuedSince.capacity, s.delayed.capacity,
             s.heap.capacity]
        }
    }

    @Test func aDrainedBurstKeepsNoLargeTables() async {
        let q = WorkQueue(name: "t", clock: ManualClock())
        for n in 0..<1000 { q.add(key(n)) }
        #expect(q.withState { $0.queue.capacity >= 1000 && $0.queuedSince.capacity >= 1000 })
        for n in 0..<1000 {
            #expect(await q.next() == key(n), "FIFO order through the release")
            if n == 10 { q.add(key(n)) }  // dirty while processing: re-queued once at done
            q.done(key(n))
        }
        #expect(await q.next() == key(10), "the dirty key came back once")
        q.done(key(10))
        #expect(q.depth == 0)
        #expect(Self.capacities(q).allSatisfy { $0 <= WorkQueue.idleStorageCapacity }, "\(Self.capacities(q))")
        // The queue works as before afterwards.
        q.add(key(1)); q.add(key(2))
        #expect(await q.next() == key(1))
        #expect(await q.next() == key(2))
    }

    @Test func firedDelayedRequeuesKeepNoLargeTables() async {
        let clock = ManualClock()
        let q = WorkQueue(name: "t", clock: clock)
        // Each key asked for twice: the earlier deadline wins, the later one stays in the heap as a
        // stale entry until it is popped.
        for n in 0..<500 {
            q.add(key(n), after: .seconds(2))
            q.add(key(n), after: .seconds(1))
        }
        #expect(q.withState { $0.delayed.capacity >= 500 && $0.heap.capacity >= 1000 })
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        var seen = Set<ObjectKey>()
        for _ in 0..<500 {
            guard let k = await q.next() else { break }
            seen.insert(k)
            q.done(k)
        }
        #expect(seen.count == 500, "every delayed key fired once")
        #expect(q.delayedCount == 0)
        #expect(Self.capacities(q).allSatisfy { $0 <= WorkQueue.idleStorageCapacity }, "\(Self.capacities(q))")
        // A later delayed requeue still fires, once.
        q.add(key(7), after: .seconds(5))
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        #expect(await q.next() == key(7))
        q.done(key(7))
        #expect(q.depth == 0 && q.delayedCount == 0)
    }
}

import Metrics

extension WorkQueue {
    typealias Handoff = (CheckedContinuation<ObjectKey?, Never>, ObjectKey)

    /// Inserts `key` into the locked state; returns a waiting worker to hand it to, or the new depth.
    static func insert(_ key: ObjectKey, now: MonotonicInstant, into s: inout State,
                       counting: Bool = true) -> (Handoff?, Int?) {
        guard !s.shuttingDown else { return (nil, nil) }
        if counting { s.stats.adds += 1 }
        if s.dirty.contains(key) { return (nil, nil) }
        s.dirty.insert(key)
        if s.queuedSince[key] == nil { s.queuedSince[key] = now }
        if s.processing[key] != nil { return (nil, nil) }
        if !s.waiters.isEmpty {
            let waiter = s.waiters.removeFirst()
            s.dirty.remove(key)
            s.processing[key] = now
            s.queuedSince[key] = nil
            return ((waiter.continuation, key), nil)
        }
        s.queue.append(key)
        return (nil, s.depth)
    }

    /// Pops the head key from the locked state and marks it processing.
    static func take(now: MonotonicInstant, from s: inout State, metrics: WorkQueueMetrics) -> ObjectKey {
        let key = s.queue[s.head]
        s.head += 1
        if s.head > 1024, s.head * 2 > s.queue.count {
            s.queue.removeFirst(s.head)
            s.head = 0
        }
        s.dirty.remove(key)
        s.processing[key] = now
        if let since = s.queuedSince.removeValue(forKey: key) {
            metrics.queueLatency.recordNanoseconds((now - since).nanoseconds)
        }
        if s.depth == 0 { releaseIdleStorage(&s) }
        metrics.depth.record(s.depth)
        return key
    }

    /// Tables and buffers above this capacity are dropped when they empty (see `releaseIdleStorage`).
    static let idleStorageCapacity = 64

    /// Drops the storage of every table and buffer of the locked state that is empty but grew past
    /// `idleStorageCapacity`. Swift collections keep their capacity when elements are removed, so
    /// after a burst of 1,000 runs each queue held ~1,000-entry tables of nothing (≈ 0.3 MiB over
    /// the operator's queues) for the rest of the process. Only empty tables are touched: no
    /// key, deadline or count changes. Called whenever the queue or the processing set empties.
    static func releaseIdleStorage(_ s: inout State) {
        let limit = idleStorageCapacity
        if s.depth == 0, s.queue.capacity > limit {
            s.queue = []
            s.head = 0
        }
        if s.dirty.isEmpty, s.dirty.capacity > limit { s.dirty = [] }
        if s.processing.isEmpty, s.processing.capacity > limit { s.processing = [:] }
        if s.queuedSince.isEmpty, s.queuedSince.capacity > limit { s.queuedSince = [:] }
        if s.delayed.isEmpty {
            if s.delayed.capacity > limit { s.delayed = [:] }
            // With no key delayed every heap entry is stale (they are skipped, never removed early).
            if s.heap.capacity > limit { s.heap = DeadlineHeap() }
        }
    }

    func finishInsert(_ handoff: Handoff?, depth: Int?, added: Bool) {
        if added { metrics.adds.increment() }
        if let depth { metrics.depth.record(depth) }
        if let (continuation, key) = handoff {
            metrics.queueLatency.recordNanoseconds(0)
            continuation.resume(returning: key)
        }
    }

    /// Makes sure a timer task sleeps until the earliest live delayed deadline.
    func scheduleTimer(_ s: inout State) {
        guard !s.shuttingDown else { return }
        while let top = s.heap.first, s.delayed[top.key] != top.deadline { _ = s.heap.pop() }
        guard let top = s.heap.first else { return }
        if let t = s.timer, t.deadline <= top.deadline { return }
        s.timer?.task.cancel()
        s.timerGeneration += 1
        let generation = s.timerGeneration
        let clock = self.clock
        let deadline = top.deadline
        let task = Task { [weak self] in
            do { try await clock.suspend(until: deadline) } catch { return }
            self?.fireDue(generation: generation)
        }
        s.timer = (generation, deadline, task)
    }

    /// Moves every delayed key whose deadline has passed into the queue.
    func fireDue(generation: UInt64) {
        let now = clock.now()
        let results = withState { s -> [(Handoff?, Int?)] in
            var results: [(Handoff?, Int?)] = []
            while let top = s.heap.first, top.deadline <= now {
                _ = s.heap.pop()
                guard s.delayed[top.key] == top.deadline else { continue }
                s.delayed[top.key] = nil
                results.append(Self.insert(top.key, now: now, into: &s))
            }
            if s.timer?.generation == generation { s.timer = nil }
            scheduleTimer(&s)
            if s.delayed.isEmpty { Self.releaseIdleStorage(&s) }
            return results
        }
        for (handoff, depth) in results { finishInsert(handoff, depth: depth, added: true) }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let c = components
        let (s, o1) = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if o1 { return c.seconds < 0 ? .min : .max }
        let (t, o2) = s.addingReportingOverflow(c.attoseconds / 1_000_000_000)
        return o2 ? .max : t
    }
}

/// The `workqueue_*` metrics of one queue, labelled by queue name.
struct WorkQueueMetrics: Sendable {
    let depth: Gauge
    let adds: Counter
    let retries: Counter
    let queueLatency: Metrics.Timer
    let workDuration: Metrics.Timer

    init(name: String, factory: any MetricsFactory) {
        let dims = [("name", name)]
        depth = Gauge(label: "workqueue_depth", dimensions: dims, factory: factory)
        adds = Counter(label: "workqueue_adds_total", dimensions: dims, factory: factory)
        retries = Counter(label: "workqueue_retries_total", dimensions: dims, factory: factory)
        queueLatency = Metrics.Timer(label: "workqueue_queue_duration_seconds", dimensions: dims,
                                     preferredDisplayUnit: .seconds, factory: factory)
        workDuration = Metrics.Timer(label: "workqueue_work_duration_seconds", dimensions: dims,
                                     preferredDisplayUnit: .seconds, factory: factory)
    }
}

import Metrics
import Synchronization

/// A work queue of object keys with client-go semantics.
///
/// Guarantees:
/// - A key is handed to at most one worker at a time: between `next()` returning it and `done(_:)`,
///   further `add`s only mark it dirty; `done` puts it back once, so any number of adds during
///   processing coalesce into exactly one re-run.
/// - A key waiting in the queue appears once, however often it is added.
/// - `add(_:after:)` keeps the earliest pending deadline per key; a later, longer request does not
///   postpone it. A delayed key that is added directly meanwhile is simply queued (and the delayed
///   entry still fires later, coalescing if it is then queued or processing).
/// - `addRateLimited` delays by the rate limiter (per-key exponential + global bucket by default);
///   `forget` resets a key's backoff.
/// - After `shutDown()`, `next()` returns `nil` and adds are ignored; `drain()` waits for the keys
///   being processed to be `done`.
public final class WorkQueue: Sendable {
    struct State: Sendable {
        var queue: [ObjectKey] = []
        var head = 0
        var dirty: Set<ObjectKey> = []
        var processing: [ObjectKey: MonotonicInstant] = [:]
        var queuedSince: [ObjectKey: MonotonicInstant] = [:]
        var waiters: [(id: UInt64, continuation: CheckedContinuation<ObjectKey?, Never>)] = []
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var nextWaiterID: UInt64 = 0
        var delayed: [ObjectKey: MonotonicInstant] = [:]
        var heap = DeadlineHeap()
        var timer: (generation: UInt64, deadline: MonotonicInstant, task: Task<Void, Never>)?
        var timerGeneration: UInt64 = 0
        var limiter: any RateLimiter
        var shuttingDown = false
        var stats = WorkQueueStats()

        var depth: Int { queue.count - head }
    }

    public let name: String
    let clock: any RuntimeClock
    let state: Mutex<State>
    let metrics: WorkQueueMetrics

    public init(name: String, clock: any RuntimeClock = SystemRuntimeClock(),
                rateLimiter: any RateLimiter = MaxOfRateLimiter.default,
                metricsFactory: (any MetricsFactory)? = nil) {
        self.name = name
        self.clock = clock
        self.state = Mutex(State(limiter: rateLimiter))
        self.metrics = WorkQueueMetrics(name: name, factory: metricsFactory ?? MetricsSystem.factory)
    }

    deinit {
        state.withLock { $0.timer?.task.cancel() }
    }

    /// Queues `key` now (or marks it dirty if it is being processed).
    public func add(_ key: ObjectKey) {
        let now = clock.now()
        let (handoff, depth) = state.withLock { s -> ((CheckedContinuation<ObjectKey?, Never>, ObjectKey)?, Int?) in
            Self.insert(key, now: now, into: &s)
        }
        finishInsert(handoff, depth: depth, added: true)
    }

    /// Queues `key` after `delay`; the earliest pending deadline for a key wins.
    public func add(_ key: ObjectKey, after delay: Duration) {
        guard delay > .zero else { return add(key) }
        let deadline = clock.now() + delay
        state.withLock { s in
            guard !s.shuttingDown else { return }
            if let existing = s.delayed[key], existing <= deadline { return }
            s.delayed[key] = deadline
            s.heap.push(deadline, key)
            scheduleTimer(&s)
        }
    }

    /// Queues `key` after the rate limiter's delay and counts a retry.
    public func addRateLimited(_ key: ObjectKey) {
        let now = clock.now()
        let delay = state.withLock { s -> Duration in
            s.stats.retries += 1
            return s.limiter.when(key, now: now)
        }
        metrics.retries.increment()
        add(key, after: delay)
    }

    /// Resets `key`'s rate-limiter history (call after a successful reconcile).
    public func forget(_ key: ObjectKey) {
        state.withLock { $0.limiter.forget(key) }
    }

    /// How many rate-limited retries `key` has had since it was last forgotten.
    public func retries(of key: ObjectKey) -> Int {
        state.withLock { $0.limiter.retries(key) }
    }

    /// Waits for the next key and marks it processing; `nil` once the queue is shut down
    /// (or when the calling task is cancelled).
    public func next() async -> ObjectKey? {
        let now = clock.now()
        let immediate: ObjectKey?? = state.withLock { s in
            if s.shuttingDown { return .some(nil) }
            guard s.depth > 0 else { return nil }
            return .some(Self.take(now: now, from: &s, metrics: metrics))
        }
        if let immediate { return immediate }
        let id = state.withLock { s -> UInt64 in s.nextWaiterID += 1; return s.nextWaiterID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<ObjectKey?, Never>) in
                let resumeNow: ObjectKey?? = state.withLock { s in
                    if s.shuttingDown || Task.isCancelled { return .some(nil) }
                    if s.depth > 0 { return .some(Self.take(now: clock.now(), from: &s, metrics: metrics)) }
                    s.waiters.append((id, c))
                    return nil
                }
                if let resumeNow { c.resume(returning: resumeNow) }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<ObjectKey?, Never>? in
                guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: i).continuation
            }
            c?.resume(returning: nil)
        }
    }

    /// Ends processing of `key`; re-queues it once if it was added meanwhile.
    public func done(_ key: ObjectKey) {
        let now = clock.now()
        var started: MonotonicInstant?
        let (handoff, depth, drained) = state.withLock { s -> ((CheckedContinuation<ObjectKey?, Never>, ObjectKey)?, Int?, [CheckedContinuation<Void, Never>]) in
            started = s.processing.removeValue(forKey: key)
            var result: ((CheckedContinuation<ObjectKey?, Never>, ObjectKey)?, Int?) = (nil, nil)
            if s.dirty.contains(key), !s.shuttingDown {
                s.dirty.remove(key)
                result = Self.insert(key, now: s.queuedSince[key] ?? now, into: &s, counting: false)
            }
            var drained: [CheckedContinuation<Void, Never>] = []
            if s.processing.isEmpty {
                swap(&drained, &s.drainWaiters)
                Self.releaseIdleStorage(&s)
            }
            return (result.0, result.1, drained)
        }
        if let started { metrics.workDuration.recordNanoseconds((now - started).nanoseconds) }
        finishInsert(handoff, depth: depth, added: false)
        drained.forEach { $0.resume() }
    }

    /// Stops handing out keys: waiting and future `next()` calls return `nil`, adds are ignored.
    public func shutDown() {
        let (waiters, timer) = state.withLock { s in
            s.shuttingDown = true
            let w = s.waiters
            s.waiters = []
            let t = s.timer?.task
            s.timer = nil
            return (w, t)
        }
        timer?.cancel()
        waiters.forEach { $0.continuation.resume(returning: nil) }
    }

    /// Waits until no key is being processed (use after `shutDown()` to drain in-flight work).
    public func drain() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.processing.isEmpty { return true }
                s.drainWaiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Keys waiting to be handed out (not counting delayed or processing keys).
    public var depth: Int { state.withLock { $0.depth } }

    /// Keys waiting for their `add(_:after:)` deadline.
    public var delayedCount: Int { state.withLock { $0.delayed.count } }

    /// A snapshot of the counters also exported as metrics.
    public var stats: WorkQueueStats {
        state.withLock { s in
            var st = s.stats
            st.depth = s.depth
            st.processing = s.processing.count
            return st
        }
    }

    public func isProcessing(_ key: ObjectKey) -> Bool { state.withLock { $0.processing[key] != nil } }
}

/// Counters of a work queue (also exported as `workqueue_*` metrics).
public struct WorkQueueStats: Sendable, Equatable {
    public var depth = 0
    public var processing = 0
    public var adds = 0
    public var retries = 0
}

extension WorkQueue {
    func withState<R>(_ body: (inout State) -> R) -> R { state.withLock { body(&$0) } }
}

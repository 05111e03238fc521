import Dispatch
import Synchronization

/// One write waiting for the database.
enum AuditWrite: Sendable {
    case event(AuditRecord)
    case run(AgentRunRecord)
    case delivery(WebhookDeliveryRecord)
}

/// A write with its acceptance number (strictly increasing, in acceptance order).
struct QueuedWrite: Sendable {
    let sequence: UInt64
    let write: AuditWrite
}

/// Counters of a buffered sink, as seen at one instant.
public struct AuditSinkStatistics: Sendable, Equatable {
    /// Writes accepted by the sink.
    public var accepted: UInt64 = 0
    /// Writes stored in the database (an already-present event counts: it is stored).
    public var written: UInt64 = 0
    /// Oldest unsent writes dropped because the buffer was full.
    public var dropped: UInt64 = 0
    /// Writes the database refused as invalid (logged; never retried).
    public var rejected: UInt64 = 0
    /// Writes not yet resolved (buffered or being written).
    public var pending: Int = 0
}

/// The bounded buffer between callers and the writer thread.
///
/// Contract: `enqueue` never blocks beyond a short critical section. Capacity bounds the writes not
/// yet handed to the writer; when full, the oldest of those is dropped and counted. Handed-over writes
/// (`inFlight`, at most one batch) stay until the writer reports them done, so a failed batch is
/// retried as is. Everything leaves in acceptance order.
final class AuditQueue: Sendable {
    struct EnqueueResult {
        /// A write was dropped to make room.
        var dropped: Bool
        /// The first drop since the last report (log a warning once per episode).
        var startedDropping: Bool
    }

    private struct State {
        var pending = RingBuffer<QueuedWrite>()
        var inFlight: [QueuedWrite] = []
        var nextSequence: UInt64 = 1
        var statistics = AuditSinkStatistics()
        var unreportedDrops: UInt64 = 0
        var writerWaiting = false
        var closed = false
        var abandonAt: ContinuousClock.Instant?
        var waiters: [(sequence: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var finished = false

        /// Every write with a sequence ≤ this is resolved (written, dropped or rejected).
        var resolvedThrough: UInt64 {
            if let first = inFlight.first { return first.sequence - 1 }
            if let first = pending.first { return first.sequence - 1 }
            return nextSequence - 1
        }

        mutating func takeResolvedWaiters() -> [CheckedContinuation<Void, Never>] {
            let mark = finished ? UInt64.max : resolvedThrough
            var ready: [CheckedContinuation<Void, Never>] = []
            waiters.removeAll { waiter in
                if waiter.sequence <= mark {
                    ready.append(waiter.continuation)
                    return true
                }
                return false
            }
            return ready
        }
    }

    let capacity: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled by `close` only, so a reconnect pause is cut short by shutdown but not by new writes.
    private let stop = DispatchSemaphore(value: 0)

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Accepts a write; drops the oldest unsent one when full. After `close`, the write itself is dropped.
    func enqueue(_ write: AuditWrite) -> EnqueueResult {
        var result = EnqueueResult(dropped: false, startedDropping: false)
        var signal = false
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { s in
            var ready: [CheckedContinuation<Void, Never>] = []
            if s.closed {
                s.statistics.dropped += 1
                result = EnqueueResult(dropped: true, startedDropping: s.unreportedDrops == 0)
                s.unreportedDrops += 1
                return ready
            }
            if s.pending.count >= capacity {
                s.pending.removeFirst()
                s.statistics.dropped += 1
                result = EnqueueResult(dropped: true, startedDropping: s.unreportedDrops == 0)
                s.unreportedDrops += 1
                if !s.waiters.isEmpty { ready = s.takeResolvedWaiters() }
            }
            s.pending.append(QueuedWrite(sequence: s.nextSequence, write: write))
            s.nextSequence += 1
            s.statistics.accepted += 1
            if s.writerWaiting {
                s.writerWaiting = false
                signal = true
            }
            return ready
        }
        if signal { wake.signal() }
        ready.forEach { $0.resume() }
        return result
    }

    /// Blocks the writer until there is something to write; `false` when it should stop.
    func waitForWork() -> Bool {
        while true {
            let ready: Bool? = state.withLock { s in
                if shouldAbandon(s) { return false }
                if !s.inFlight.isEmpty || !s.pending.isEmpty { return true }
                if s.closed { return false }
                s.writerWaiting = true
                return nil
            }
            if let ready { return ready }
            wake.wait()
        }
    }

    /// The batch to write: the unfinished one if any (a retry), else up to `max` oldest pending writes.
    func takeBatch(max: Int) -> [QueuedWrite] {
        state.withLock { s in
            if s.inFlight.isEmpty { s.inFlight = s.pending.removeFirst(upTo: max) }
            return s.inFlight
        }
    }

    /// The writer finished the in-flight batch; returns drops not yet reported in a log line.
    /// Ignored once `finish` ran (the batch was already counted as lost).
    func complete(written: Int, rejected: Int) -> UInt64 {
        let (ready, drops): ([CheckedContinuation<Void, Never>], UInt64) = state.withLock { s in
            if s.finished { return ([], 0) }
            s.inFlight.removeAll()
            s.statistics.written += UInt64(written)
            s.statistics.rejected += UInt64(rejected)
            let drops = s.unreportedDrops
            s.unreportedDrops = 0
            return (s.takeResolvedWaiters(), drops)
        }
        ready.forEach { $0.resume() }
        return drops
    }

    /// Waits (on the writer thread) up to `seconds`, and never past the abandon deadline; `close`
    /// cuts the current wait short (new writes do not).
    func pause(seconds: Double) {
        var limit = seconds
        if let deadline = state.withLock({ $0.abandonAt }) {
            let remaining = ContinuousClock.now.duration(to: deadline)
            limit = min(limit, Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18)
        }
        guard limit > 0 else { return }
        _ = stop.wait(timeout: .now() + .nanoseconds(Int(limit * 1e9)))
    }

    var statistics: AuditSinkStatistics {
        state.withLock { s in
            var stats = s.statistics
            stats.pending = s.pending.count + s.inFlight.count
            return stats
        }
    }

    /// Suspends until every write accepted before this call is resolved (or the writer has stopped).
    func waitUntilResolved() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s in
                let target = s.nextSequence - 1
                if s.finished || target <= s.resolvedThrough { return true }
                s.waiters.append((target, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Stops accepting writes; the writer keeps draining until empty or until `deadline` (the earliest
    /// deadline given, if called again).
    func close(abandonAt deadline: ContinuousClock.Instant) {
        state.withLock { s in
            s.closed = true
            s.abandonAt = min(s.abandonAt ?? deadline, deadline)  // a second close never extends it
        }
        wake.signal()
        stop.signal()
    }

    /// The writer has exited, or shutdown gave up on it: whatever is left (the in-flight batch
    /// included) is lost, counted as dropped; returns that count. Later calls return 0.
    func finish() -> Int {
        let (ready, lost): ([CheckedContinuation<Void, Never>], Int) = state.withLock { s in
            if s.finished { return ([], 0) }
            s.closed = true
            let lost = s.pending.count + s.inFlight.count
            s.statistics.dropped += UInt64(lost)
            s.pending = RingBuffer()
            s.inFlight = []
            s.finished = true
            return (s.takeResolvedWaiters(), lost)
        }
        ready.forEach { $0.resume() }
        return lost
    }

    var isAbandoning: Bool { state.withLock { shouldAbandon($0) } }

    private func shouldAbandon(_ s: State) -> Bool {
        guard s.closed, let deadline = s.abandonAt else { return false }
        return ContinuousClock.now >= deadline
    }
}

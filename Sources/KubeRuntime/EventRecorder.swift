import Foundation
import KubeAPI
import Logging

/// Records `events.k8s.io/v1` Events, aggregating repeats into a series (client-go's events
/// broadcaster): an event isomorphic to one recorded less than `aggregationWindow` ago (same
/// regarding, related, type, reason, action, note and reporting controller) increments that
/// Event's `series` (count starts at 2 on the first repeat) instead of creating another object.
///
/// Two ways in, neither throws (events are best-effort diagnostics):
/// - `post(...)` never waits: it hands the occurrence to a bounded queue (`queueCapacity`, default
///   1,000) that one task writes in order; when the queue is full the occurrence is dropped and
///   counted in `droppedCount` (client-go drops when its channel is full). Use it from reconciles.
/// - `record(...)` writes now and returns when the API call is done (for callers that run their
///   own queue, like the audit's event publisher, and for tests).
///
/// Concurrent occurrences of one event never create two Events: while the first one's create (or
/// a series update) is in flight, repeats only raise the count, and the writer publishes the latest
/// count when its call returns. Failures are logged; a failed series update falls back to creating
/// a fresh Event.
public actor EventRecorder {
    /// What makes two occurrences the same event, as one string (`EventKey`): the aggregation
    /// table holds one entry per Event of the last `aggregationWindow` (thousands in a burst of
    /// runs), and the fields as separate strings — two object references, type, reason, action and
    /// note — were ~600 bytes an entry in five to eight allocations (docs/performance.md).
    typealias Isomorphic = EventKey

    struct Recorded {
        var namespace: String
        /// The Event's name once its create succeeded (nil while it is in flight).
        var name: String?
        var count: Int
        /// The count the API last received (1 after the create).
        var written: Int
        /// A create or series update for this event is in flight.
        var busy: Bool
        var lastObserved: MonotonicInstant
        var lastObservedWall: MicroTime
    }

    struct Occurrence: Sendable {
        var regarding: ObjectReference
        var type: EventType
        var reason: String
        var action: String
        var note: String?
        var related: ObjectReference?
    }

    public nonisolated let reportingController: String
    public nonisolated let reportingInstance: String
    public nonisolated let aggregationWindow: Duration
    private let sink: any EventSink
    private let clock: any RuntimeClock
    private let logger: Logger
    private var recorded: [Isomorphic: Recorded] = [:]
    /// When expired entries were last dropped (at most once per `aggregationWindow`: dropping them
    /// on every record made each record O(recorded), O(n²) over a burst).
    private var lastPruned: MonotonicInstant?
    private var sequence: UInt32 = 0
    private nonisolated let queue: AsyncStream<Occurrence>.Continuation
    private nonisolated let dropped = Locked(0)

    public init(sink: any EventSink, reportingController: String, reportingInstance: String,
                aggregationWindow: Duration = .seconds(360), queueCapacity: Int = 1000,
                clock: any RuntimeClock = SystemRuntimeClock(),
                logger: Logger = Logger(label: "kube-runtime.events")) {
        self.sink = sink
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.aggregationWindow = aggregationWindow
        self.clock = clock
        self.logger = logger
        let (stream, continuation) = AsyncStream<Occurrence>.makeStream(bufferingPolicy: .bufferingOldest(max(1, queueCapacity)))
        queue = continuation
        Task { [weak self] in
            for await o in stream {
                guard let self else { return }
                await self.record(regarding: o.regarding, type: o.type, reason: o.reason, action: o.action,
                                  note: o.note, related: o.related)
            }
        }
    }

    deinit { queue.finish() }

    /// Queues one occurrence without waiting (see the type's documentation); false when dropped.
    @discardableResult
    public nonisolated func post(regarding: ObjectReference, type: EventType, reason: String, action: String,
                                 note: String? = nil, related: ObjectReference? = nil) -> Bool {
        let occurrence = Occurrence(regarding: regarding, type: type, reason: reason, action: action, note: note,
                                    related: related)
        if case .enqueued = queue.yield(occurrence) { return true }
        dropped.withLock { $0 += 1 }
        return false
    }

    /// Occurrences `post` dropped because the queue was full.
    public nonisolated var droppedCount: Int { dropped.value }

    /// Records one occurrence now. `note` is truncated to 1 kB, `reason`/`action` to 128 characters.
    public func record(regarding: ObjectReference, type: EventType, reason: String, action: String,
                       note: String? = nil, related: ObjectReference? = nil) async {
        let note = note.map { Self.truncate($0, bytes: 1024) }
        let key = Isomorphic(regarding: regarding, related: related, type: type.rawValue,
                             reason: String(reason.prefix(128)), action: String(action.prefix(128)), note: note)
        let now = clock.now()
        let wall = MicroTime(KubeTime(clock.wallNow(), precision: .micro))
        pruneExpired(now: now)
        // An entry past the window no longer aggregates, whether or not it was pruned yet.
        if var entry = recorded[key], entry.busy || now - entry.lastObserved < aggregationWindow {
            entry.count += 1
            entry.lastObserved = now
            entry.lastObservedWall = wall
            recorded[key] = entry
            if entry.busy { return }  // the call in flight publishes the new count when it returns
            await publishSeries(key)
            return
        }
        await create(key, at: now, wall: wall)
    }

    /// Creates the Event for `key`, then publishes any repeats that arrived meanwhile.
    private func create(_ key: Isomorphic, at now: MonotonicInstant, wall: MicroTime) async {
        sequence &+= 1
        let fields = key.fields
        let namespace = fields.regarding.namespace ?? "default"
        let nanos = UInt64(clock.wallNow().timeIntervalSince1970 * 1e9)
        let name = "\(fields.regarding.name ?? "event").\(String(nanos, radix: 16))\(String(sequence, radix: 16))"
        recorded[key] = Recorded(namespace: namespace, name: nil, count: 1, written: 0, busy: true,
                                 lastObserved: now, lastObservedWall: wall)
        let event = Event(metadata: ObjectMeta(name: name, namespace: namespace), eventTime: wall,
                          reportingController: reportingController, reportingInstance: reportingInstance,
                          action: fields.action, reason: fields.reason, regarding: fields.regarding, related: fields.related,
                          note: fields.note, type: fields.type)
        do {
            try await sink.create(event)
            recorded[key]?.name = name
            recorded[key]?.written = 1
            await publishSeries(key)
        } catch {
            logger.warning("could not create event \(namespace)/\(name) (\(fields.reason)): \(error)")
            recorded[key] = nil
        }
    }

    /// Writes the latest count as the Event's series until the API has it; one call at a time.
    private func publishSeries(_ key: Isomorphic) async {
        while let entry = recorded[key], let name = entry.name, entry.count > entry.written {
            recorded[key]?.busy = true
            let series = EventSeries(count: Int32(clamping: entry.count), lastObservedTime: entry.lastObservedWall)
            do {
                try await sink.updateSeries(namespace: entry.namespace, name: name, series: series)
                recorded[key]?.written = entry.count
            } catch {
                logger.warning("could not update event series \(entry.namespace)/\(name): \(error)")
                recorded[key] = nil
                await create(key, at: entry.lastObserved, wall: entry.lastObservedWall)
                return
            }
        }
        recorded[key]?.busy = false
    }

    /// How many isomorphic events the recorder currently aggregates.
    public var aggregatedCount: Int { recorded.count }

    private func pruneExpired(now: MonotonicInstant) {
        if let lastPruned, now - lastPruned < aggregationWindow { return }
        lastPruned = now
        recorded = recorded.filter { $0.value.busy || now - $0.value.lastObserved < aggregationWindow }
    }

    static func truncate(_ s: String, bytes: Int) -> String {
        guard s.utf8.count > bytes else { return s }
        var out = ""
        for ch in s {
            if out.utf8.count + String(ch).utf8.count > bytes { break }
            out.append(ch)
        }
        return out
    }
}

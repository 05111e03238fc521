import Foundation
import KubeAPI
import Logging

/// Records `events.k8s.io/v1` Events, aggregating repeats into a series (client-go's events
/// broadcaster): an event isomorphic to one recorded less than `aggregationWindow` ago (same
/// regarding, related, type, reason, action, note and reporting controller) increments that
/// Event's `series` (count starts at 2 on the first repeat) instead of creating another object.
///
/// Recording never throws: events are best-effort diagnostics and must never block or fail a
/// reconcile. Failures are logged; a failed series update falls back to creating a fresh Event.
public actor EventRecorder {
    struct Isomorphic: Hashable {
        var regarding: ObjectReference
        var related: ObjectReference?
        var type: String
        var reason: String
        var action: String
        var note: String?
    }

    struct Recorded {
        var namespace: String
        var name: String
        var count: Int
        var lastObserved: MonotonicInstant
    }

    public nonisolated let reportingController: String
    public nonisolated let reportingInstance: String
    public nonisolated let aggregationWindow: Duration
    private let sink: any EventSink
    private let clock: any RuntimeClock
    private let logger: Logger
    private var recorded: [Isomorphic: Recorded] = [:]
    private var sequence: UInt32 = 0

    public init(sink: any EventSink, reportingController: String, reportingInstance: String,
                aggregationWindow: Duration = .seconds(360), clock: any RuntimeClock = SystemRuntimeClock(),
                logger: Logger = Logger(label: "kube-runtime.events")) {
        self.sink = sink
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.aggregationWindow = aggregationWindow
        self.clock = clock
        self.logger = logger
    }

    /// Records one occurrence. `note` is truncated to 1 kB, `reason`/`action` to 128 characters.
    public func record(regarding: ObjectReference, type: EventType, reason: String, action: String,
                       note: String? = nil, related: ObjectReference? = nil) async {
        let note = note.map { Self.truncate($0, bytes: 1024) }
        let key = Isomorphic(regarding: regarding, related: related, type: type.rawValue,
                             reason: String(reason.prefix(128)), action: String(action.prefix(128)), note: note)
        let now = clock.now()
        let wall = MicroTime(KubeTime(clock.wallNow(), precision: .micro))
        pruneExpired(now: now)
        if var previous = recorded[key] {
            previous.count += 1
            previous.lastObserved = now
            recorded[key] = previous
            do {
                try await sink.updateSeries(namespace: previous.namespace, name: previous.name,
                                            series: EventSeries(count: Int32(clamping: previous.count), lastObservedTime: wall))
                return
            } catch {
                logger.warning("could not update event series \(previous.namespace)/\(previous.name): \(error)")
                recorded[key] = nil
            }
        }
        sequence &+= 1
        let namespace = regarding.namespace ?? "default"
        let nanos = UInt64(clock.wallNow().timeIntervalSince1970 * 1e9)
        let name = "\(regarding.name ?? "event").\(String(nanos, radix: 16))\(String(sequence, radix: 16))"
        let event = Event(metadata: ObjectMeta(name: name, namespace: namespace), eventTime: wall,
                          reportingController: reportingController, reportingInstance: reportingInstance,
                          action: key.action, reason: key.reason, regarding: regarding, related: related,
                          note: note, type: type.rawValue)
        do {
            let created = try await sink.create(event)
            recorded[key] = Recorded(namespace: namespace, name: created.metadata.name ?? name, count: 1,
                                     lastObserved: now)
        } catch {
            logger.warning("could not create event \(namespace)/\(name) (\(key.reason)): \(error)")
        }
    }

    /// How many isomorphic events the recorder currently aggregates.
    public var aggregatedCount: Int { recorded.count }

    private func pruneExpired(now: MonotonicInstant) {
        recorded = recorded.filter { now - $0.value.lastObserved < aggregationWindow }
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



/// An `events.k8s.io/v1` Event. `eventTime` is required by the API; `series` counts repeats.
public struct Event: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "events.k8s.io", version: "v1", plural: "events",
                                                    kind: "Event", namespaced: true)

    public var metadata: ObjectMeta
    public var eventTime: MicroTime
    public var series: EventSeries?
    public var reportingController: String?
    public var reportingInstance: String?
    public var action: String?
    public var reason: String?
    public var regarding: ObjectReference?
    public var related: ObjectReference?
    public var note: String?
    /// Normal or Warning.
    public var type: String?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        eventTime: MicroTime = MicroTime.now(),
        series: EventSeries? = nil,
        reportingController: String? = nil,
        reportingInstance: String? = nil,
        action: String? = nil,
        reason: String? = nil,
        regarding: ObjectReference? = nil,
        related: ObjectReference? = nil,
        note: String? = nil,
        type: String? = nil
    ) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.related = related
        self.note = note
        self.type = type
    }
}

/// A repeated event: how often, and when last seen.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int32
    public var lastObservedTime: MicroTime

    public init(count: Int32, lastObservedTime: MicroTime) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}

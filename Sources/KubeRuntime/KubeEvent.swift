import KubeAPI

/// `events.k8s.io/v1` Event, as written by `EventRecorder`.
public struct KubeEvent: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "events.k8s.io", version: "v1",
                                                    plural: "events", kind: "Event", namespaced: true)
    public var apiVersion: String? = "events.k8s.io/v1"
    public var kind: String? = "Event"
    public var metadata: ObjectMeta
    /// When the event was first observed (MicroTime).
    public var eventTime: KubeTime
    public var series: EventSeries?
    public var reportingController: String
    public var reportingInstance: String
    /// What the controller did (`Provisioning`, `Deleting`); ≤ 128 characters.
    public var action: String
    /// Why, in UpperCamelCase (`NamespaceCreated`); ≤ 128 characters.
    public var reason: String
    public var regarding: ObjectReference
    public var related: ObjectReference?
    /// Human-readable detail; ≤ 1 kB.
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String

    public init(metadata: ObjectMeta, eventTime: KubeTime, series: EventSeries? = nil, reportingController: String,
                reportingInstance: String, action: String, reason: String, regarding: ObjectReference,
                related: ObjectReference? = nil, note: String? = nil, type: EventType) {
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
        self.type = type.rawValue
    }
}

public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

/// `EventSeries`: how often an isomorphic event repeated and when it was last seen.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int
    public var lastObservedTime: KubeTime

    public init(count: Int, lastObservedTime: KubeTime) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}

/// `v1.ObjectReference`: the object an event is about.
public struct ObjectReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var resourceVersion: String?

    public init(apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String? = nil,
                uid: String? = nil, resourceVersion: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// A reference to `object`.
    public init<Object: KubeResource>(_ object: Object) {
        self.init(apiVersion: Object.resource.apiVersion, kind: Object.resource.kind,
                  namespace: object.metadata.namespace, name: object.metadata.name, uid: object.metadata.uid)
    }
}

/// The Event calls the recorder needs; `KubeClientEventSink` adapts KubeClient.
public protocol EventSink: Sendable {
    func create(_ event: KubeEvent) async throws -> KubeEvent
    /// Sets `series` on an existing event (a merge patch).
    func updateSeries(namespace: String, name: String, series: EventSeries) async throws
}

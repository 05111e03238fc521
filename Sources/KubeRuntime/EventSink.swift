import KubeAPI

/// `type` of an `events.k8s.io/v1` Event.
public enum EventType: String, Sendable { case normal = "Normal", warning = "Warning" }

/// The Event calls the recorder needs (the `Event` model is KubeAPI's);
/// `KubeClientEventSink` adapts KubeClient.
public protocol EventSink: Sendable {
    /// Creates `event` under the name it carries (the recorder always names its Events, never
    /// `generateName`); the API's answer is not needed, so an implementation need not decode it.
    func create(_ event: Event) async throws
    /// Sets `series` on an existing event (a merge patch).
    func updateSeries(namespace: String, name: String, series: EventSeries) async throws
}

extension ObjectReference {
    /// A reference to `object` (apiVersion, kind, namespace, name, uid).
    public init<Object: KubeResource>(_ object: Object) {
        self.init(apiVersion: Object.resource.apiVersion, kind: Object.resource.kind,
                  namespace: object.metadata.namespace, name: object.metadata.name, uid: object.metadata.uid)
    }
}

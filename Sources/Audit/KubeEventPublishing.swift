/// A reference to the Kubernetes object an event is about (`events.k8s.io/v1` `regarding`).
public struct AuditObjectReference: Sendable, Hashable, Codable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String
    public var uid: String?

    public init(apiVersion: String, kind: String, namespace: String? = nil, name: String, uid: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }
}

/// A Kubernetes Event to publish: `type` Normal/Warning, `reason`, `action`, `note` (≤ 1 KiB).
public struct KubeEventNote: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable { case normal = "Normal", warning = "Warning" }

    public var regarding: AuditObjectReference
    public var type: EventType
    public var reason: String
    public var action: String
    public var note: String

    public init(regarding: AuditObjectReference, type: EventType, reason: String, action: String, note: String) {
        self.regarding = regarding
        self.type = type
        self.reason = reason
        self.action = action
        self.note = note
    }
}

/// Publishes Kubernetes Events. KubeRuntime's event recorder conforms to this (wired by the
/// operator), so the audit layer does not depend on the controller machinery.
///
/// Contract: `publish` must not block (queue and return); failures are the publisher's to log.
public protocol KubeEventPublishing: Sendable {
    func publish(_ event: KubeEventNote)
}

import KubeAPI

/// A Kubernetes Event to publish: `type` Normal/Warning, `reason`, `action`, `note` (≤ 1 KiB).
public struct KubeEventNote: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable { case normal = "Normal", warning = "Warning" }

    public var regarding: ObjectReference
    public var type: EventType
    public var reason: String
    public var action: String
    public var note: String

    public init(regarding: ObjectReference, type: EventType, reason: String, action: String, note: String) {
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

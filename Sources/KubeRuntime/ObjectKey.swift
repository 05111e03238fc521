import KubeAPI

/// Identifies one object of a resource: what flows through the work queue (keys, never objects,
/// so reconciles are level-triggered and always read the latest state from the store).
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `nil` for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object from its metadata; `nil` when the metadata has no name.
    public init?(_ metadata: ObjectMeta) {
        guard let name = metadata.name else { return nil }
        self.init(namespace: metadata.namespace, name: name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects (the client-go spelling).
    public var description: String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    public static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        (a.namespace ?? "", a.name) < (b.namespace ?? "", b.name)
    }
}

extension KubeResource {
    /// The object's key; `nil` when it has no name (never the case for objects read from the API).
    public var objectKey: ObjectKey? { ObjectKey(metadata) }
}

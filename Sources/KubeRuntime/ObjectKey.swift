import KubeAPI

/// Identifies one object of a resource: what flows through the work queue (keys, never objects,
/// so reconciles are level-triggered and always read the latest state from the store).
///
/// Hashing: a key is hashed many times over its life — the store's tables, the work queue's
/// sets and tables, the rate limiter, the mapping from watched objects to keys (≈ 60 table
/// operations per operator run) — so it hashes its namespace and name once, when it is made or
/// changed, and `hash(into:)` feeds that one word. Equal keys (same namespace and name) hash
/// alike within the process, as `Hashable` requires; `==` compares that word first, so keys of
/// different objects usually differ without comparing their strings.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `nil` for cluster-scoped objects.
    public var namespace: String? { didSet { digest = Self.digest(namespace, name) } }
    public var name: String { didSet { digest = Self.digest(namespace, name) } }
    /// `namespace` and `name` hashed with the process's seed (`Hasher`): the same for equal keys.
    private var digest: Int

    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
        self.digest = Self.digest(namespace, name)
    }

    /// The key of an object from its metadata; `nil` when the metadata has no name.
    public init?(_ metadata: ObjectMeta) {
        guard let name = metadata.name else { return nil }
        self.init(namespace: metadata.namespace, name: name)
    }

    private static func digest(_ namespace: String?, _ name: String) -> Int {
        var h = Hasher()
        h.combine(namespace)
        h.combine(name)
        return h.finalize()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    public static func == (a: ObjectKey, b: ObjectKey) -> Bool {
        a.digest == b.digest && a.name == b.name && a.namespace == b.namespace
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

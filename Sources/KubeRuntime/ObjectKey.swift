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
///
/// Memory: the cached word makes a key 40 bytes instead of 32 (two `String`s and the `Int`), +8
/// bytes for every key held; an index value's inline key (`IndexedKeys`) grows from 40 to 48
/// (`ObjectKeyHashingTests` pins both sizes). With 1,000 Running runs cached (one Job, Pod,
/// RunNamespace and Namespace each) the operator's long-lived tables hold ≈ 14,000 keys, counted
/// from what each table lists: the stores of AgentRuns, Jobs, Pods, RunNamespaces and Namespaces
/// 5,000; their indexes 7,000 (a run's phase, namespace and repository+issue, a Job's and a Pod's
/// run label, a Pod's owner, a RunNamespace's repository+issue); the AgentRun work queue's delayed
/// requeues 2,000 (its table and its deadline heap); the Secret 1. That is ≈ 110 KB more, plus 8
/// bytes in each spare bucket of those tables (a `Dictionary` is at most three quarters full):
/// ≈ 0.1–0.3 MB against ≈ 12 MB of live heap at 1,000 runs, for ≈ 60 table operations per run
/// that hash one word instead of two strings.
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

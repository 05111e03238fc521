import FoundationEssentials

/// A `v1` Namespace (cluster-scoped). `status.phase` is Active or Terminating.
public struct Namespace: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "namespaces",
                                                    kind: "Namespace", namespaced: false)

    public var metadata: ObjectMeta
    public var spec: NamespaceSpec?
    public var status: NamespaceStatus?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: NamespaceSpec? = nil,
        status: NamespaceStatus? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The finalizers that must finish before the namespace is removed.
public struct NamespaceSpec: Codable, Sendable, Hashable {
    public var finalizers: [String]?

    public init(finalizers: [String]? = nil) {
        self.finalizers = finalizers
    }
}

/// Phase and conditions (e.g. `NamespaceDeletionContentFailure`).
public struct NamespaceStatus: Codable, Sendable, Hashable {
    public var phase: String?
    public var conditions: [NamespaceCondition]?

    public init(phase: String? = nil, conditions: [NamespaceCondition]? = nil) {
        self.phase = phase
        self.conditions = conditions
    }
}

/// Namespace conditions share the common condition shape.
public typealias NamespaceCondition = Condition

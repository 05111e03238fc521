

/// A `rbac.authorization.k8s.io/v1` ClusterRole (cluster-scoped).
public struct ClusterRole: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles",
                                                    kind: "ClusterRole", namespaced: false)

    public var metadata: ObjectMeta
    public var rules: [PolicyRule]?
    public var aggregationRule: JSONValue?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        rules: [PolicyRule]? = nil,
        aggregationRule: JSONValue? = nil
    ) {
        self.metadata = metadata
        self.rules = rules
        self.aggregationRule = aggregationRule
    }
}

/// Verbs allowed on resources of API groups (or on non-resource URLs).
public struct PolicyRule: Codable, Sendable, Hashable {
    public var apiGroups: [String]?
    public var resources: [String]?
    public var verbs: [String]
    public var resourceNames: [String]?
    public var nonResourceURLs: [String]?

    public init(
        apiGroups: [String]? = nil,
        resources: [String]? = nil,
        verbs: [String] = [],
        resourceNames: [String]? = nil,
        nonResourceURLs: [String]? = nil
    ) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }
}

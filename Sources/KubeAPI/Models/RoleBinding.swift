

/// A `rbac.authorization.k8s.io/v1` RoleBinding: grants a Role or ClusterRole inside one namespace.
public struct RoleBinding: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings",
                                                    kind: "RoleBinding", namespaced: true)

    public var metadata: ObjectMeta
    public var subjects: [Subject]?
    public var roleRef: RoleRef

    public init(metadata: ObjectMeta = ObjectMeta(), subjects: [Subject]? = nil, roleRef: RoleRef) {
        self.metadata = metadata
        self.subjects = subjects
        self.roleRef = roleRef
    }
}

/// Who is bound: a ServiceAccount (with namespace), User or Group.
public struct Subject: Codable, Sendable, Hashable {
    public var kind: String
    public var name: String
    public var namespace: String?
    public var apiGroup: String?

    public init(kind: String, name: String, namespace: String? = nil, apiGroup: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.apiGroup = apiGroup
    }
}

/// The bound role; immutable after creation.
public struct RoleRef: Codable, Sendable, Hashable {
    public var apiGroup: String
    public var kind: String
    public var name: String

    public init(apiGroup: String = "rbac.authorization.k8s.io", kind: String, name: String) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
    }
}

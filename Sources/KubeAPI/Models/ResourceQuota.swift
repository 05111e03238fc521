

/// A `v1` ResourceQuota: aggregate limits per namespace (quantities as strings, `"4"`, `"8Gi"`).
public struct ResourceQuota: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "resourcequotas",
                                                    kind: "ResourceQuota", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: ResourceQuotaSpec?
    public var status: ResourceQuotaStatus?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: ResourceQuotaSpec? = nil,
        status: ResourceQuotaStatus? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Hard limits by resource name (`requests.cpu`, `pods`, ...).
public struct ResourceQuotaSpec: Codable, Sendable, Hashable {
    public var hard: [String: String]?
    public var scopes: [String]?

    public init(hard: [String: String]? = nil, scopes: [String]? = nil) {
        self.hard = hard
        self.scopes = scopes
    }
}

/// Enforced limits and current usage.
public struct ResourceQuotaStatus: Codable, Sendable, Hashable {
    public var hard: [String: String]?
    public var used: [String: String]?

    public init(hard: [String: String]? = nil, used: [String: String]? = nil) {
        self.hard = hard
        self.used = used
    }
}

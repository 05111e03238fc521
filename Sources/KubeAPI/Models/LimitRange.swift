

/// A `v1` LimitRange: per-container/pod defaults and bounds.
public struct LimitRange: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "limitranges",
                                                    kind: "LimitRange", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: LimitRangeSpec?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: LimitRangeSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The limits, one item per type.
public struct LimitRangeSpec: Codable, Sendable, Hashable {
    public var limits: [LimitRangeItem]

    public init(limits: [LimitRangeItem] = []) {
        self.limits = limits
    }
}

/// Bounds for one `type` (Container, Pod, PersistentVolumeClaim).
public struct LimitRangeItem: Codable, Sendable, Hashable {
    public var type: String
    public var max: [String: String]?
    public var min: [String: String]?
    public var `default`: [String: String]?
    public var defaultRequest: [String: String]?
    public var maxLimitRequestRatio: [String: String]?

    public init(
        type: String,
        max: [String: String]? = nil,
        min: [String: String]? = nil,
        `default`: [String: String]? = nil,
        defaultRequest: [String: String]? = nil,
        maxLimitRequestRatio: [String: String]? = nil
    ) {
        self.type = type
        self.max = max
        self.min = min
        self.default = `default`
        self.defaultRequest = defaultRequest
        self.maxLimitRequestRatio = maxLimitRequestRatio
    }
}

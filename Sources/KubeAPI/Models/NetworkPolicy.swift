

/// A `networking.k8s.io/v1` NetworkPolicy.
public struct NetworkPolicy: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "networking.k8s.io", version: "v1", plural: "networkpolicies",
                                                    kind: "NetworkPolicy", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: NetworkPolicySpec

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NetworkPolicySpec = NetworkPolicySpec()) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Selected pods, and the allowed traffic for each listed policy type (Ingress, Egress).
public struct NetworkPolicySpec: Codable, Sendable, Hashable {
    public var podSelector: LabelSelector
    public var policyTypes: [String]?
    public var ingress: [NetworkPolicyIngressRule]?
    public var egress: [NetworkPolicyEgressRule]?

    public init(
        podSelector: LabelSelector = LabelSelector(),
        policyTypes: [String]? = nil,
        ingress: [NetworkPolicyIngressRule]? = nil,
        egress: [NetworkPolicyEgressRule]? = nil
    ) {
        self.podSelector = podSelector
        self.policyTypes = policyTypes
        self.ingress = ingress
        self.egress = egress
    }
}

/// Traffic allowed in: from any of `from` (all when empty) on any of `ports`.
public struct NetworkPolicyIngressRule: Codable, Sendable, Hashable {
    public var from: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(from: [NetworkPolicyPeer]? = nil, ports: [NetworkPolicyPort]? = nil) {
        self.from = from
        self.ports = ports
    }
}

/// Traffic allowed out: to any of `to` (all when empty) on any of `ports`.
public struct NetworkPolicyEgressRule: Codable, Sendable, Hashable {
    public var to: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(to: [NetworkPolicyPeer]? = nil, ports: [NetworkPolicyPort]? = nil) {
        self.to = to
        self.ports = ports
    }
}

/// Pods (by pod and/or namespace selector) or an IP block.
public struct NetworkPolicyPeer: Codable, Sendable, Hashable {
    public var podSelector: LabelSelector?
    public var namespaceSelector: LabelSelector?
    public var ipBlock: IPBlock?

    public init(
        podSelector: LabelSelector? = nil,
        namespaceSelector: LabelSelector? = nil,
        ipBlock: IPBlock? = nil
    ) {
        self.podSelector = podSelector
        self.namespaceSelector = namespaceSelector
        self.ipBlock = ipBlock
    }
}

/// A CIDR, minus the `except` CIDRs.
public struct IPBlock: Codable, Sendable, Hashable {
    public var cidr: String
    public var except: [String]?

    public init(cidr: String, except: [String]? = nil) {
        self.cidr = cidr
        self.except = except
    }
}

/// A port (number or name) or a range up to `endPort`; protocol TCP by default.
public struct NetworkPolicyPort: Codable, Sendable, Hashable {
    public var `protocol`: String?
    public var port: IntOrString?
    public var endPort: Int32?

    public init(`protocol`: String? = nil, port: IntOrString? = nil, endPort: Int32? = nil) {
        self.protocol = `protocol`
        self.port = port
        self.endPort = endPort
    }
}

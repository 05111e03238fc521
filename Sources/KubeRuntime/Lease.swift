import KubeAPI

/// `coordination.k8s.io/v1` Lease: the lock object of leader election.
public struct Lease: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "coordination.k8s.io", version: "v1",
                                                    plural: "leases", kind: "Lease", namespaced: true)
    public var apiVersion: String? = "coordination.k8s.io/v1"
    public var kind: String? = "Lease"
    public var metadata: ObjectMeta
    public var spec: LeaseSpec?

    public init(metadata: ObjectMeta, spec: LeaseSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// `LeaseSpec`. Times are MicroTime (RFC 3339 with microseconds).
public struct LeaseSpec: Codable, Sendable, Hashable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int?
    public var acquireTime: KubeTime?
    public var renewTime: KubeTime?
    public var leaseTransitions: Int?

    public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: KubeTime? = nil,
                renewTime: KubeTime? = nil, leaseTransitions: Int? = nil) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}

/// The Lease calls leader election needs; `KubeClientLeaseClient` adapts KubeClient.
public protocol LeaseClient: Sendable {
    /// The Lease, or `nil` if it does not exist.
    func get(namespace: String, name: String) async throws -> Lease?
    /// Creates the Lease; throws if it already exists.
    func create(_ lease: Lease) async throws -> Lease
    /// Replaces the Lease, conditional on `metadata.resourceVersion`; throws on conflict.
    func replace(_ lease: Lease) async throws -> Lease
}

import KubeAPI

/// A `codex-k8s.dev/v1alpha1` RunNamespace (SPEC §2, §6): the cluster-scoped record of one run
/// namespace and its lease, named exactly like the Namespace it describes.
public struct RunNamespace: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "codex-k8s.dev", version: "v1alpha1", plural: "runnamespaces",
                                                    kind: "RunNamespace", namespaced: false)

    public var metadata: ObjectMeta
    public var spec: RunNamespaceSpec
    public var status: RunNamespaceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: RunNamespaceSpec, status: RunNamespaceStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The key (repository, issue, stage) and lease policy of a run namespace; the key is immutable.
public struct RunNamespaceSpec: Codable, Sendable, Hashable {
    public var repository: String
    public var issue: Int64
    public var stage: Stage
    public var role: Role
    public var mode: RunMode
    /// Lease length from each renewal (`namespaceTTL` of the role).
    public var ttl: RunDuration
    /// Keep the namespace past its lease (debug runs), up to `debugMaxRetention`.
    public var retain: Bool?

    public init(repository: String, issue: Int64, stage: Stage, role: Role, mode: RunMode, ttl: RunDuration,
                retain: Bool? = nil) {
        self.repository = repository
        self.issue = issue
        self.stage = stage
        self.role = role
        self.mode = mode
        self.ttl = ttl
        self.retain = retain
    }
}

/// The lease as the operator last wrote it.
public struct RunNamespaceStatus: Codable, Sendable, Hashable {
    public var phase: RunNamespacePhase?
    public var leaseExpiresAt: KubeTime?
    public var leaseRenewedAt: KubeTime?
    public var renewals: Int64?
    /// Names of the non-terminal AgentRuns using the namespace; the lease never expires while non-empty.
    public var activeRuns: [String]?
    /// Name of the latest AgentRun that used the namespace.
    public var lastRun: String?
    public var conditions: [Condition]?

    public init(phase: RunNamespacePhase? = nil, leaseExpiresAt: KubeTime? = nil, leaseRenewedAt: KubeTime? = nil,
                renewals: Int64? = nil, activeRuns: [String]? = nil, lastRun: String? = nil,
                conditions: [Condition]? = nil) {
        self.phase = phase
        self.leaseExpiresAt = leaseExpiresAt
        self.leaseRenewedAt = leaseRenewedAt
        self.renewals = renewals
        self.activeRuns = activeRuns
        self.lastRun = lastRun
        self.conditions = conditions
    }
}

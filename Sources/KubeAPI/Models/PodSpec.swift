

/// The pods a workload creates.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec

    public init(metadata: ObjectMeta? = nil, spec: PodSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// A pod's desired state (the fields the project sets; others survive `update` unchanged).
public struct PodSpec: Codable, Sendable, Hashable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var restartPolicy: String?
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var securityContext: PodSecurityContext?
    /// Volumes, kept as raw JSON.
    public var volumes: [JSONValue]?
    public var nodeSelector: [String: String]?
    public var activeDeadlineSeconds: Int64?
    public var terminationGracePeriodSeconds: Int64?
    public var imagePullSecrets: [LocalObjectReference]?
    public var enableServiceLinks: Bool?
    public var nodeName: String?

    public init(
        containers: [Container] = [],
        initContainers: [Container]? = nil,
        restartPolicy: String? = nil,
        serviceAccountName: String? = nil,
        automountServiceAccountToken: Bool? = nil,
        securityContext: PodSecurityContext? = nil,
        volumes: [JSONValue]? = nil,
        nodeSelector: [String: String]? = nil,
        activeDeadlineSeconds: Int64? = nil,
        terminationGracePeriodSeconds: Int64? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil,
        enableServiceLinks: Bool? = nil,
        nodeName: String? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.restartPolicy = restartPolicy
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.securityContext = securityContext
        self.volumes = volumes
        self.nodeSelector = nodeSelector
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.imagePullSecrets = imagePullSecrets
        self.enableServiceLinks = enableServiceLinks
        self.nodeName = nodeName
    }
}

/// Pod-level security settings.
public struct PodSecurityContext: Codable, Sendable, Hashable {
    public var runAsNonRoot: Bool?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var fsGroup: Int64?
    public var seccompProfile: SeccompProfile?

    public init(
        runAsNonRoot: Bool? = nil,
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        fsGroup: Int64? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.fsGroup = fsGroup
        self.seccompProfile = seccompProfile
    }
}

/// `type` is RuntimeDefault, Unconfined or Localhost.
public struct SeccompProfile: Codable, Sendable, Hashable {
    public var type: String
    public var localhostProfile: String?

    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}

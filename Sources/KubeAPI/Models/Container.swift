

/// One container of a pod.
public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var securityContext: SecurityContext?
    public var volumeMounts: [VolumeMount]?

    public init(
        name: String,
        image: String? = nil,
        imagePullPolicy: String? = nil,
        command: [String]? = nil,
        args: [String]? = nil,
        workingDir: String? = nil,
        env: [EnvVar]? = nil,
        resources: ResourceRequirements? = nil,
        securityContext: SecurityContext? = nil,
        volumeMounts: [VolumeMount]? = nil
    ) {
        self.name = name
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.env = env
        self.resources = resources
        self.securityContext = securityContext
        self.volumeMounts = volumeMounts
    }
}

/// An environment variable: a literal `value` or a reference in `valueFrom`.
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// Where a variable's value comes from (credentials: `secretKeyRef`, never literals).
public struct EnvVarSource: Codable, Sendable, Hashable {
    public var secretKeyRef: KeySelector?
    public var configMapKeyRef: KeySelector?
    public var fieldRef: ObjectFieldSelector?

    public init(
        secretKeyRef: KeySelector? = nil,
        configMapKeyRef: KeySelector? = nil,
        fieldRef: ObjectFieldSelector? = nil
    ) {
        self.secretKeyRef = secretKeyRef
        self.configMapKeyRef = configMapKeyRef
        self.fieldRef = fieldRef
    }
}

/// A key of a Secret or ConfigMap (`SecretKeySelector`/`ConfigMapKeySelector`).
public struct KeySelector: Codable, Sendable, Hashable {
    public var name: String?
    public var key: String
    public var optional: Bool?

    public init(name: String? = nil, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// A field of the pod (`metadata.namespace`).
public struct ObjectFieldSelector: Codable, Sendable, Hashable {
    public var fieldPath: String
    public var apiVersion: String?

    public init(fieldPath: String, apiVersion: String? = nil) {
        self.fieldPath = fieldPath
        self.apiVersion = apiVersion
    }
}

/// Container-level security settings (restricted profile: non-root, no escalation, drop ALL).
public struct SecurityContext: Codable, Sendable, Hashable {
    public var runAsNonRoot: Bool?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var allowPrivilegeEscalation: Bool?
    public var privileged: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var capabilities: Capabilities?
    public var seccompProfile: SeccompProfile?

    public init(
        runAsNonRoot: Bool? = nil,
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        allowPrivilegeEscalation: Bool? = nil,
        privileged: Bool? = nil,
        readOnlyRootFilesystem: Bool? = nil,
        capabilities: Capabilities? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.privileged = privileged
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.capabilities = capabilities
        self.seccompProfile = seccompProfile
    }
}

/// Linux capabilities to add and drop.
public struct Capabilities: Codable, Sendable, Hashable {
    public var add: [String]?
    public var drop: [String]?

    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// Requests and limits by resource name; quantities as strings (`"500m"`, `"1Gi"`).
public struct ResourceRequirements: Codable, Sendable, Hashable {
    public var limits: [String: String]?
    public var requests: [String: String]?

    public init(limits: [String: String]? = nil, requests: [String: String]? = nil) {
        self.limits = limits
        self.requests = requests
    }
}

/// Mounts a volume of the pod into the container.
public struct VolumeMount: Codable, Sendable, Hashable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool?
    public var subPath: String?

    public init(name: String, mountPath: String, readOnly: Bool? = nil, subPath: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.subPath = subPath
    }
}



/// A `batch/v1` Job.
public struct Job: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "batch", version: "v1", plural: "jobs",
                                                    kind: "Job", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: JobSpec?
    public var status: JobStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: JobSpec? = nil, status: JobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// How the Job runs its pods.
public struct JobSpec: Codable, Sendable, Hashable {
    public var template: PodTemplateSpec
    public var backoffLimit: Int32?
    public var activeDeadlineSeconds: Int64?
    public var ttlSecondsAfterFinished: Int32?
    public var completions: Int32?
    public var parallelism: Int32?
    public var suspend: Bool?
    public var selector: LabelSelector?
    public var manualSelector: Bool?

    public init(
        template: PodTemplateSpec,
        backoffLimit: Int32? = nil,
        activeDeadlineSeconds: Int64? = nil,
        ttlSecondsAfterFinished: Int32? = nil,
        completions: Int32? = nil,
        parallelism: Int32? = nil,
        suspend: Bool? = nil,
        selector: LabelSelector? = nil,
        manualSelector: Bool? = nil
    ) {
        self.template = template
        self.backoffLimit = backoffLimit
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
        self.completions = completions
        self.parallelism = parallelism
        self.suspend = suspend
        self.selector = selector
        self.manualSelector = manualSelector
    }
}

/// Progress; a finished Job has a `Complete` or `Failed` condition with status True.
public struct JobStatus: Codable, Sendable, Hashable {
    public var active: Int32?
    public var succeeded: Int32?
    public var failed: Int32?
    public var ready: Int32?
    public var startTime: KubeTime?
    public var completionTime: KubeTime?
    public var conditions: [JobCondition]?

    public init(
        active: Int32? = nil,
        succeeded: Int32? = nil,
        failed: Int32? = nil,
        ready: Int32? = nil,
        startTime: KubeTime? = nil,
        completionTime: KubeTime? = nil,
        conditions: [JobCondition]? = nil
    ) {
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
        self.ready = ready
        self.startTime = startTime
        self.completionTime = completionTime
        self.conditions = conditions
    }
}

/// Job conditions share the common condition shape.
public typealias JobCondition = Condition

import KubeAPI

/// What the operator observed and decided about an AgentRun; written only through `/status`.
public struct AgentRunStatus: Codable, Sendable, Hashable {
    public var phase: AgentRunPhase?
    public var reason: AgentRunReason?
    public var message: String?
    /// The resolved model and reasoning and where each came from (SPEC §4).
    public var model: String?
    public var reasoning: Reasoning?
    public var profileSource: ProfileSources?
    /// The resolved mode (spec, else the configured default of the stage).
    public var mode: RunMode?
    /// The run namespace the Job runs in; `runNamespace` names its RunNamespace (the same name).
    public var namespace: String?
    public var runNamespace: String?
    public var jobName: String?
    /// True when a revise run reused an Active namespace.
    public var reusedNamespace: Bool?
    public var leaseExpiresAt: KubeTime?
    public var startedAt: KubeTime?
    public var finishedAt: KubeTime?
    /// Seconds spent in Waiting so far; they do not count against `spec.timeout`.
    public var waitedSeconds: Int64?
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    /// What the GitHub reporter last reported (issue 13); nil until it reports.
    public var report: AgentRunReport?

    public init(phase: AgentRunPhase? = nil, reason: AgentRunReason? = nil, message: String? = nil, model: String? = nil,
                reasoning: Reasoning? = nil, profileSource: ProfileSources? = nil, mode: RunMode? = nil,
                namespace: String? = nil, runNamespace: String? = nil, jobName: String? = nil,
                reusedNamespace: Bool? = nil, leaseExpiresAt: KubeTime? = nil, startedAt: KubeTime? = nil,
                finishedAt: KubeTime? = nil, waitedSeconds: Int64? = nil, observedGeneration: Int64? = nil,
                conditions: [Condition]? = nil, report: AgentRunReport? = nil) {
        self.phase = phase
        self.reason = reason
        self.message = message
        self.model = model
        self.reasoning = reasoning
        self.profileSource = profileSource
        self.mode = mode
        self.namespace = namespace
        self.runNamespace = runNamespace
        self.jobName = jobName
        self.reusedNamespace = reusedNamespace
        self.leaseExpiresAt = leaseExpiresAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.waitedSeconds = waitedSeconds
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.report = report
    }
}

/// `status.profileSource`: the source of each resolved profile value.
public struct ProfileSources: Codable, Sendable, Hashable {
    public var model: ProfileSource?
    public var reasoning: ProfileSource?

    public init(model: ProfileSource? = nil, reasoning: ProfileSource? = nil) {
        self.model = model
        self.reasoning = reasoning
    }
}

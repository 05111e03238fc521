import KubeAPI
import Runs

/// Everything the resource templates need about one admitted run: the pure input of
/// `RunResources`. Two equal plans give equal objects (tests compare them whole).
public struct RunPlan: Sendable, Hashable {
    /// The AgentRun's name (also the Job's name) and namespace (the control namespace).
    public var runName: String
    public var controlNamespace: String
    public var spec: AgentRunSpec
    /// The run namespace (and RunNamespace) name.
    public var namespace: String
    public var mode: RunMode
    public var model: String
    public var reasoning: Reasoning
    /// `now + ttl(role)` at admission.
    public var leaseExpiresAt: KubeTime
    public var config: OperatorConfig

    public init(runName: String, controlNamespace: String, spec: AgentRunSpec, namespace: String, mode: RunMode,
                model: String, reasoning: Reasoning, leaseExpiresAt: KubeTime, config: OperatorConfig) {
        self.runName = runName
        self.controlNamespace = controlNamespace
        self.spec = spec
        self.namespace = namespace
        self.mode = mode
        self.model = model
        self.reasoning = reasoning
        self.leaseExpiresAt = leaseExpiresAt
        self.config = config
    }

    /// The plan of `run` admitted at `now` with a resolved profile: the namespace name is a pure
    /// function of the run (so a restarted operator finds what it created before a crash).
    public static func make(run: AgentRun, profile: ResolvedProfile, config: OperatorConfig, now: KubeTime) -> RunPlan {
        let name = run.metadata.name ?? ""
        let mode = run.spec.mode ?? config.mode(for: run.spec.stage)
        let namespace = RunNames.namespace(prefix: config.namespacePrefix, repository: run.spec.repository,
                                           issue: run.spec.issue, stage: run.spec.stage, nonce: name)
        let ttl = config.ttl(for: run.spec.stage.role)
        return RunPlan(runName: name, controlNamespace: run.metadata.namespace ?? config.controlNamespace, spec: run.spec,
                       namespace: namespace, mode: mode, model: profile.model.value, reasoning: profile.reasoning.value,
                       leaseExpiresAt: KubeTime(secondsSince1970: now.secondsSince1970 + Double(ttl.seconds)), config: config)
    }

    /// The labels of every object of this run.
    public var labels: [String: String] { RunLabels.objectLabels(run: runName, spec: spec, mode: mode) }

    /// The agent's ServiceAccount, RoleBinding and credentials Secret names (fixed by SPEC §5).
    public static let serviceAccountName = "codex-agent"
    public static let credentialsSecretName = "codex-agent-credentials"
    /// The ResourceQuota, LimitRange and NetworkPolicy names.
    public static let policyName = "codex-run"

    /// Metadata of an object in the run namespace.
    func meta(_ name: String) -> ObjectMeta {
        ObjectMeta(name: name, namespace: namespace, labels: labels,
                   annotations: [RunLabels.repositoryAnnotation: spec.repository])
    }
}

/// The operator's configuration (SPEC §5, §6, §9): one YAML file, every key with a default, so
/// an empty file is a working configuration. Read with `OperatorConfig.load`, printed with
/// `render`; `examples/config.yaml` is `render(.defaults, comments: true)` (a test checks it).
public struct OperatorConfig: Sendable, Hashable {
    /// The namespace of the operator, its AgentRuns and the agent credentials Secret.
    public var controlNamespace = "codex-system"
    /// First part of every run namespace name (a DNS-1123 label of at most 16 characters).
    public var namespacePrefix = "codex"
    public var slots = Slots()
    public var timeouts = ByStage<RunDuration>(default: .hours(1), byStage: [.dev: .hours(3), .qa: .hours(2)])
    public var modes = ByStage<RunMode>(default: .codeOnly, byStage: [
        .dev: .fullEnv, .qa: .fullEnv, .release: .fullEnv, .postdeploy: .fullEnv, .ops: .fullEnv, .aiRepair: .fullEnv,
    ])
    public var namespaceTTL = ByRole<RunDuration>(default: .hours(24), byRole: [:])
    public var graces = Graces()
    public var sweep = Sweep()
    public var agent = AgentTemplate()
    public var quota = QuotaTemplate()
    public var limitRange = LimitRangeTemplate()
    public var networkPolicy = NetworkPolicyTemplate()
    public var profiles = ProfileCatalog(models: ["gpt-5-codex", "gpt-5", "o3"], defaultModel: "gpt-5-codex",
                                         reasoning: Reasoning.allCases, defaultReasoning: .medium)
    public var webhook = WebhookSettings()
    public var github = GitHubSettings()

    public static let maxNamespacePrefixLength = 16

    public init() {}

    /// The configuration of an empty file.
    public static let defaults = OperatorConfig()

    /// The run timeout of a stage (`timeouts.byStage`, else `timeouts.default`).
    public func timeout(for stage: Stage) -> RunDuration { timeouts[stage] }
    /// The mode of a stage when the AgentRun does not set one.
    public func mode(for stage: Stage) -> RunMode { modes[stage] }
    /// The namespace lease length of a role.
    public func ttl(for role: Role) -> RunDuration { namespaceTTL[role] }
}

/// A value per stage with a default. In the file, `byStage` entries merge over the defaults.
public struct ByStage<Value: Sendable & Hashable>: Sendable, Hashable {
    public var `default`: Value
    public var byStage: [Stage: Value]

    public init(default: Value, byStage: [Stage: Value]) {
        self.default = `default`
        self.byStage = byStage
    }

    public subscript(stage: Stage) -> Value { byStage[stage] ?? `default` }
}

/// A value per role with a default. In the file, `byRole` entries merge over the defaults.
public struct ByRole<Value: Sendable & Hashable>: Sendable, Hashable {
    public var `default`: Value
    public var byRole: [Role: Value]

    public init(default: Value, byRole: [Role: Value]) {
        self.default = `default`
        self.byRole = byRole
    }

    public subscript(role: Role) -> Value { byRole[role] ?? `default` }
}

/// Admission slots (SPEC §5).
public struct Slots: Sendable, Hashable {
    public var maxActiveRuns = 20
    public var perRepository = 3
    public init() {}
}

/// Grace periods and retentions of run namespaces (SPEC §4, §5, §6).
public struct Graces: Sendable, Hashable {
    /// A superseded namespace's lease ends this long after a new non-revise run of its key starts.
    public var supersededGrace = RunDuration.minutes(15)
    /// A code-only namespace ends this long after its run finishes.
    public var codeOnlyGrace = RunDuration.minutes(10)
    /// After an issue or pull request is closed, its namespace leases end after this.
    public var closeGrace = RunDuration.minutes(30)
    /// How long a pod may sit in CreateContainerConfigError before the run fails.
    public var containerConfigErrorGrace = RunDuration.minutes(2)
    /// The longest a debug namespace is kept.
    public var debugMaxRetention = RunDuration.hours(72)
    public init() {}
}

/// The periodic sweep (SPEC §6).
public struct Sweep: Sendable, Hashable {
    public var interval = RunDuration.minutes(5)
    /// A managed namespace without its RunNamespace is deleted after this.
    public var orphanGrace = RunDuration.minutes(10)
    /// Finished AgentRuns are deleted after this.
    public var finishedRunRetention = RunDuration.days(7)
    public init() {}
}

/// The agent container every run starts from (AgentRun `spec.agent` overrides parts of it).
public struct AgentTemplate: Sendable, Hashable {
    public var image = "ghcr.io/codex-k8s/agent:latest"
    public var imagePullPolicy = "IfNotPresent"
    public var command = ["codex"]
    public var args = ["exec", "--full-auto"]
    /// Literal variables; credentials come only from `credentials`.
    public var env: [AgentEnvVar] = []
    public var resources = AgentResources(requests: ["cpu": "500m", "memory": "1Gi"], limits: ["cpu": "2", "memory": "4Gi"])
    public var credentials = Credentials()
    public init() {}

    /// The Secret copied from the control namespace into each run namespace (as
    /// `codex-agent-credentials`, SPEC §5) and the variables its keys become (via secretKeyRef).
    public struct Credentials: Sendable, Hashable {
        public var secretName = "codex-agent-credentials"
        public var env: [CredentialKey] = [
            CredentialKey(name: "OPENAI_API_KEY", key: "openai-api-key"),
            CredentialKey(name: "GITHUB_TOKEN", key: "github-token"),
        ]
        public init() {}
    }

    /// One environment variable filled from one key of the credentials Secret.
    public struct CredentialKey: Sendable, Hashable {
        public var name: String
        public var key: String
        public init(name: String, key: String) {
            self.name = name
            self.key = key
        }
    }
}

/// The ResourceQuota of each run namespace.
public struct QuotaTemplate: Sendable, Hashable {
    public var hard: [String: String] = [
        "requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi",
        "pods": "20", "persistentvolumeclaims": "5", "requests.storage": "20Gi",
        "services.loadbalancers": "0", "services.nodeports": "0",
    ]
    public init() {}
}

/// The container LimitRange of each run namespace.
public struct LimitRangeTemplate: Sendable, Hashable {
    public var defaultRequests: [String: String] = ["cpu": "100m", "memory": "256Mi"]
    public var defaultLimits: [String: String] = ["cpu": "1", "memory": "2Gi"]
    public var max: [String: String] = ["cpu": "4", "memory": "8Gi"]
    public init() {}
}

/// The NetworkPolicy of each run namespace: ingress only from the namespace itself, egress to
/// DNS and these TCP ports; 169.254.169.254 (cloud metadata) is always excluded.
public struct NetworkPolicyTemplate: Sendable, Hashable {
    public var egressPorts = [80, 443]
    /// More CIDRs egress may never reach, besides 169.254.169.254/32.
    public var extraDeniedCIDRs: [String] = []
    public init() {}
}

/// The GitHub webhook (SPEC §4).
public struct WebhookSettings: Sendable, Hashable {
    /// Where the shared secrets come from; several are allowed, for rotation. The values are never printed.
    public var secrets: [SecretSource] = [.env("CODEX_K8S_WEBHOOK_SECRET")]
    /// `owner/name` or `owner/*`; empty allows every repository.
    public var allowedRepositories: [String] = []
    /// Bot logins (`dependabot[bot]`) whose deliveries may trigger runs; other bots are ignored.
    public var allowedBots: [String] = []
    public init() {}

    /// A secret read at start-up from an environment variable or a file.
    public enum SecretSource: Sendable, Hashable {
        case env(String)
        case file(String)
    }
}

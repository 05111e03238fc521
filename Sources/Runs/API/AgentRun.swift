import KubeAPI

/// A `codex-k8s.dev/v1alpha1` AgentRun (SPEC §2): one agent Job for one stage of one issue,
/// namespaced in the control namespace. Field names and enums match `CRDs/agentruns.codex-k8s.dev.yaml`
/// (a test round-trips samples through both).
public struct AgentRun: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "codex-k8s.dev", version: "v1alpha1", plural: "agentruns",
                                                    kind: "AgentRun", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: AgentRunSpec
    public var status: AgentRunStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: AgentRunSpec, status: AgentRunStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// What the run should do; `repository`, `issue`, `stage` and `revise` are immutable after creation.
public struct AgentRunSpec: Codable, Sendable, Hashable {
    /// `owner/name` of the GitHub repository.
    public var repository: String
    /// The issue number (≥ 1); also the namespace key (SPEC §6).
    public var issue: Int64
    public var pullRequest: Int64?
    public var stage: Stage
    /// A revise run reuses the Active namespace of its repository+issue+stage. Not with rethink/ai-repair.
    public var revise: Bool?
    /// Defaults from the configuration per stage (SPEC §5) when absent.
    public var mode: RunMode?
    /// Explicit model / reasoning; when absent, resolved from `labels` (SPEC §4).
    public var model: String?
    public var reasoning: Reasoning?
    /// The label snapshot at trigger time.
    public var labels: [RunLabel]?
    /// Keep the namespace after the run (SPEC §6, `run:debug`).
    public var debug: Bool?
    /// Run time allowed (waiting time does not count); defaults per stage from the configuration.
    public var timeout: RunDuration?
    public var agent: AgentOverrides?
    /// Request cancellation; once true it cannot be unset.
    public var cancel: Bool?
    public var trigger: RunTrigger?

    public init(repository: String, issue: Int64, pullRequest: Int64? = nil, stage: Stage, revise: Bool? = nil,
                mode: RunMode? = nil, model: String? = nil, reasoning: Reasoning? = nil, labels: [RunLabel]? = nil,
                debug: Bool? = nil, timeout: RunDuration? = nil, agent: AgentOverrides? = nil, cancel: Bool? = nil,
                trigger: RunTrigger? = nil) {
        self.repository = repository
        self.issue = issue
        self.pullRequest = pullRequest
        self.stage = stage
        self.revise = revise
        self.mode = mode
        self.model = model
        self.reasoning = reasoning
        self.labels = labels
        self.debug = debug
        self.timeout = timeout
        self.agent = agent
        self.cancel = cancel
        self.trigger = trigger
    }

    /// `revise` with absence read as false.
    public var isRevise: Bool { revise ?? false }
    public var isDebug: Bool { debug ?? false }
    public var isCancelRequested: Bool { cancel ?? false }
}

/// Where a label was seen: on the issue or on the pull request.
public enum LabelScope: String, Codable, Sendable, Hashable, CaseIterable {
    case issue
    case pullRequest
}

/// One label of the snapshot, as GitHub spells it (case kept; the vocabulary is case-insensitive).
public struct RunLabel: Codable, Sendable, Hashable {
    public var name: String
    public var scope: LabelScope

    public init(name: String, scope: LabelScope) {
        self.name = name
        self.scope = scope
    }
}

/// Optional overrides of the configured agent template; absent fields keep the template's value.
public struct AgentOverrides: Codable, Sendable, Hashable {
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    /// Literal variables only (credentials come from the configured Secret keys, never from here).
    public var env: [AgentEnvVar]?
    public var resources: AgentResources?

    public init(image: String? = nil, command: [String]? = nil, args: [String]? = nil, env: [AgentEnvVar]? = nil,
                resources: AgentResources? = nil) {
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.resources = resources
    }
}

/// A literal environment variable of the agent container.
public struct AgentEnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Requests and limits as quantity strings (`500m`, `2Gi`), keyed by resource name. Decodes the
/// integer form the CRD also allows (`cpu: 2`) as its decimal text.
public struct AgentResources: Codable, Sendable, Hashable {
    public var requests: [String: String]?
    public var limits: [String: String]?

    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }

    private enum CodingKeys: String, CodingKey { case requests, limits }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        requests = try c.decodeIfPresent([String: QuantityText].self, forKey: .requests)?.mapValues(\.text)
        limits = try c.decodeIfPresent([String: QuantityText].self, forKey: .limits)?.mapValues(\.text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(requests, forKey: .requests)
        try c.encodeIfPresent(limits, forKey: .limits)
    }
}

/// A quantity in its int-or-string JSON form, kept as text.
struct QuantityText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            text = s
        } else if let i = try? c.decode(Int64.self) {
            text = String(i)
        } else {
            text = String(try c.decode(Double.self))
        }
    }
}

/// Who or what created the run.
public struct RunTrigger: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable, Hashable, CaseIterable {
        case github, manual
    }

    public var source: Source
    /// GitHub's `X-GitHub-Delivery`; the AgentRun name derives from it (SPEC §4).
    public var deliveryID: String?
    /// `issues`, `pull_request`, `pull_request_review`.
    public var event: String?
    /// `labeled`, `submitted`, …
    public var action: String?
    /// The label that triggered the run, when a label did.
    public var label: String?
    /// The GitHub login of the sender.
    public var sender: String?
    public var receivedAt: KubeTime?

    public init(source: Source, deliveryID: String? = nil, event: String? = nil, action: String? = nil,
                label: String? = nil, sender: String? = nil, receivedAt: KubeTime? = nil) {
        self.source = source
        self.deliveryID = deliveryID
        self.event = event
        self.action = action
        self.label = label
        self.sender = sender
        self.receivedAt = receivedAt
    }
}

import KubeAPI
import Runs

/// Why a delivery was answered `200 ignored` (the `reason` of the answer and of the audit row).
public enum IgnoreReason: String, Sendable, Hashable, CaseIterable {
    /// An event the adapter does not handle (`push`, `star`, …).
    case unsupportedEvent = "unsupported_event"
    /// A handled event with another action (`issues/opened`, …).
    case unsupportedAction = "unsupported_action"
    /// `sender.type` is not `User` and the login is not in `webhook.allowedBots`.
    case senderNotUser = "sender_not_user"
    /// The label added or removed is not a `run:<stage>[:revise]` trigger.
    case notATrigger = "not_a_trigger"
    /// More than one trigger label on the issue (or pull request).
    case triggerConflict = "trigger_conflict"
    /// A review that does not request changes.
    case reviewNotChangesRequested = "review_not_changes_requested"
    /// A review requested changes but the PR's labels name several stages.
    case stageAmbiguous = "stage_ambiguous"
    /// A review requested changes but no stage is known for the PR.
    case stageNotResolved = "stage_not_resolved"
    /// The resolved stage has no revise (rethink, ai-repair).
    case stageNotRevisable = "stage_not_revisable"
    /// An `issues` event about a pull request: GitHub also sends `pull_request`, which is handled.
    case issueIsPullRequest = "issue_is_pull_request"
    /// Nothing to cancel: no non-terminal run matches.
    case noActiveRuns = "no_active_runs"
}

/// Which runs a cancellation addresses (all non-terminal runs that match).
public enum CancelTarget: Sendable, Hashable {
    /// The runs of one trigger (`issues/unlabeled`).
    case trigger(TriggerKey)
    /// Every run of an issue (`issues/closed`).
    case issue(repository: String, issue: Int64)
    /// Every run of a pull request (`pull_request/closed`).
    case pullRequest(repository: String, pullRequest: Int64)
}

/// What a verified, well-formed delivery asks for: a pure function of the payload, the settings and
/// the runs already known (`DeliveryPlanner`). Carrying it out is `DeliveryExecutor`'s job.
public enum DeliveryPlan: Sendable, Hashable {
    case pong
    case ignore(IgnoreReason, candidates: [Stage] = [])
    /// The repository is not in `webhook.allowedRepositories` (403).
    case forbidden(repository: String)
    /// Create this AgentRun (named from the delivery id) unless a run of the same trigger is active.
    case create(AgentRunSpec)
    /// Set `spec.cancel` on the matching runs; `endLeasesOfIssue` also ends that issue's namespace
    /// leases after `closeGrace` (closed issues and pull requests).
    case cancel(CancelTarget, endLeasesOfIssue: Int64?)
}

/// The identity of a trigger for deduplication (SPEC §4: same repository, issue, stage, revise).
public struct TriggerKey: Sendable, Hashable, CustomStringConvertible {
    public var repository: String
    public var issue: Int64
    public var stage: Stage
    public var revise: Bool

    public init(repository: String, issue: Int64, stage: Stage, revise: Bool) {
        self.repository = repository.lowercased()
        self.issue = issue
        self.stage = stage
        self.revise = revise
    }

    public init(_ spec: AgentRunSpec) {
        self.init(repository: spec.repository, issue: spec.issue, stage: spec.stage, revise: spec.isRevise)
    }

    public var description: String { "\(repository)#\(issue) \(stage.rawValue)\(revise ? " revise" : "")" }

    /// The value of the `codex-k8s.dev/trigger` label: 40 hex of SHA-256 of the key (a label value
    /// holds neither `/` nor `#`), so the apiserver can select a trigger's runs.
    public var labelValue: String {
        HubSignature.hex(SHA256Bytes.hash("\(repository)\n\(issue)\n\(stage.rawValue)\n\(revise)")).prefixString(40)
    }
}

/// Labels the adapter puts on every AgentRun it creates.
public enum WebhookLabels {
    /// `TriggerKey.labelValue`: selects the runs of one trigger.
    public static let trigger = "codex-k8s.dev/trigger"
    /// The pull request number, when the run has one.
    public static let pullRequest = "codex-k8s.dev/pull-request"
    /// The issue number (`WellKnown.issueLabel`).
    public static let issue = WellKnown.issueLabel
    /// `app.kubernetes.io/managed-by: codex-k8s`.
    public static let managedBy = WellKnown.managedByLabel
}

extension String {
    func prefixString(_ n: Int) -> String { String(prefix(n)) }
}

import Runs

/// The labels and annotations the operator puts on what it creates (SPEC §6), and reads back to
/// find its objects and to tell them from someone else's.
///
/// Contract: every object a run creates carries `managed-by=codex-k8s` and `codex-k8s.dev/run=<AgentRun
/// name>`; an object that exists under our name without both is not ours (provisioning fails
/// instead of adopting it). Cross-namespace owner references are not allowed in Kubernetes, so the
/// run label — not an ownerReference — links run-namespace objects to their AgentRun.
public enum RunLabels {
    public static let managedBy = "app.kubernetes.io/managed-by"
    public static let managedByValue = "codex-k8s"
    public static let run = "codex-k8s.dev/run"
    public static let purpose = "codex-k8s.dev/namespace-purpose"
    public static let purposeRun = "run"
    public static let issue = "codex-k8s.dev/issue"
    public static let stage = "codex-k8s.dev/stage"
    public static let mode = "codex-k8s.dev/mode"
    /// Annotation: the repository (`owner/name` is not a valid label value).
    public static let repositoryAnnotation = "codex-k8s.dev/repository"
    /// Annotation: RFC 3339 mirror of the namespace lease.
    public static let leaseAnnotation = "codex-k8s.dev/lease-expires-at"
    /// Annotation on an AgentRun: `mcp` or `owner-review` pauses the run (SPEC §5).
    public static let waitAnnotation = "codex-k8s.dev/wait"
    /// The AgentRun finalizer.
    public static let finalizer = "codex-k8s.dev/cleanup"
    /// The label selector of everything the operator manages.
    public static let managedSelector = "\(managedBy)=\(managedByValue)"

    /// The labels of every object of one run.
    public static func objectLabels(run name: String, spec: AgentRunSpec, mode runMode: RunMode) -> [String: String] {
        [managedBy: managedByValue, run: name, issue: String(spec.issue), stage: spec.stage.rawValue, mode: runMode.rawValue]
    }

    /// Whether `labels` mark an object as created for run `name`.
    public static func isOurs(_ labels: [String: String]?, run name: String) -> Bool {
        labels?[managedBy] == managedByValue && labels?[Self.run] == name
    }
}

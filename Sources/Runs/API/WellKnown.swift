/// Names the operator, the webhook adapter and the sweep share (SPEC §5, §6), so they are spelled once.
public enum WellKnown {
    /// The finalizer on every AgentRun (SPEC §5); nothing inside a run namespace carries one of ours.
    public static let cleanupFinalizer = "codex-k8s.dev/cleanup"
    /// `codex-k8s.dev/wait: mcp | owner-review` on an AgentRun pauses it (SPEC §5).
    public static let waitAnnotation = "codex-k8s.dev/wait"

    // Run namespace labels and annotations (SPEC §6).
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "codex-k8s"
    public static let purposeLabel = "codex-k8s.dev/namespace-purpose"
    public static let purposeRun = "run"
    public static let issueLabel = "codex-k8s.dev/issue"
    public static let stageLabel = "codex-k8s.dev/stage"
    public static let modeLabel = "codex-k8s.dev/mode"
    public static let repositoryAnnotation = "codex-k8s.dev/repository"
    public static let leaseExpiresAtAnnotation = "codex-k8s.dev/lease-expires-at"

    // Inside a run namespace (SPEC §5).
    public static let agentServiceAccount = "codex-agent"
    public static let credentialsSecret = "codex-agent-credentials"

    /// The run context the agent Job gets as environment variables (SPEC §5), in this order.
    public static let contextEnvironment = ["CODEX_RUN", "CODEX_REPOSITORY", "CODEX_ISSUE", "CODEX_PULL_REQUEST", "CODEX_STAGE",
                                            "CODEX_REVISE", "CODEX_MODEL", "CODEX_REASONING", "CODEX_NAMESPACE", "CODEX_MODE"]

    /// The labels of a run namespace (SPEC §6): managed-by and purpose (the sweep touches nothing
    /// without both), issue, stage, mode.
    public static func namespaceLabels(issue: Int64, stage: Stage, mode: RunMode) -> [String: String] {
        [managedByLabel: managedByValue, purposeLabel: purposeRun, issueLabel: String(issue), stageLabel: stage.rawValue,
         modeLabel: mode.rawValue]
    }

    /// True when a Namespace's labels mark it as a run namespace of ours (both labels, SPEC §6).
    public static func isManagedRunNamespace(_ labels: [String: String]?) -> Bool {
        labels?[managedByLabel] == managedByValue && labels?[purposeLabel] == purposeRun
    }
}

/// Why a run waits (`codex-k8s.dev/wait`, SPEC §5).
public enum WaitKind: String, Sendable, Hashable, CaseIterable {
    case mcp
    case ownerReview = "owner-review"

    /// The phase reason while waiting.
    public var reason: AgentRunReason {
        switch self {
        case .mcp: .waitingMCP
        case .ownerReview: .waitingOwnerReview
        }
    }

    /// The wait an AgentRun's annotations ask for: `nil` without the annotation; an unknown value
    /// is reported (`.failure`) so the operator can surface it instead of silently not waiting.
    public static func requested(by annotations: [String: String]?) -> Result<WaitKind, UnknownWait>? {
        guard let value = annotations?[WellKnown.waitAnnotation] else { return nil }
        let text = value.trimmingWhitespace().lowercased()
        if let kind = WaitKind(rawValue: text) { return .success(kind) }
        return .failure(UnknownWait(value: value))
    }

    public struct UnknownWait: Error, Sendable, Hashable, CustomStringConvertible {
        public var value: String
        public init(value: String) { self.value = value }
        public var description: String {
            "annotation \(WellKnown.waitAnnotation) is \"\(value)\"; expected one of \(WaitKind.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}

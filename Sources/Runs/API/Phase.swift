/// The lifecycle phase of an AgentRun (SPEC §2). Terminal phases never change again.
public enum AgentRunPhase: String, Codable, Sendable, Hashable, CaseIterable {
    case pending = "Pending"
    case provisioning = "Provisioning"
    case running = "Running"
    case waiting = "Waiting"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case cancelled = "Cancelled"

    /// Succeeded, Failed and Cancelled.
    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// Why an AgentRun is in its phase (`status.reason`, SPEC §4, §5). Raw values are the
/// CamelCase reasons shown by `kubectl get agentruns -o wide` and used in Events.
public enum AgentRunReason: String, Codable, Sendable, Hashable, CaseIterable {
    // Pending
    case queuedBehindActiveRun = "QueuedBehindActiveRun"
    case waitingForSlot = "WaitingForSlot"
    // Waiting
    case waitingMCP = "WaitingMCP"
    case waitingOwnerReview = "WaitingOwnerReview"
    // Failed
    case failedPrecondition = "FailedPrecondition"
    case jobFailed = "JobFailed"
    case imagePullBackOff = "ImagePullBackOff"
    case crashLoopBackOff = "CrashLoopBackOff"
    case createContainerConfigError = "CreateContainerConfigError"
    case deadlineExceeded = "DeadlineExceeded"
    case jobNotFound = "JobNotFound"
    // Succeeded / Cancelled
    case completed = "Completed"
    case cancelRequested = "CancelRequested"
    case deleted = "Deleted"
}

/// The phase of a RunNamespace (SPEC §2, §6).
public enum RunNamespacePhase: String, Codable, Sendable, Hashable, CaseIterable {
    case provisioning = "Provisioning"
    case active = "Active"
    case expired = "Expired"
    case terminating = "Terminating"
    case retained = "Retained"
}

/// Where a resolved model or reasoning came from (SPEC §4), recorded in `status.profileSource`.
public enum ProfileSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// Set explicitly in the AgentRun's `spec.model` / `spec.reasoning`.
    case spec
    /// A label on the pull request.
    case pullRequest
    /// A label on the issue.
    case issue
    /// The previous run of the same repository and issue (sticky).
    case previousRun
    /// The configured default.
    case `default`
}

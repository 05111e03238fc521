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

/// Why an AgentRun is in its phase (`status.reason`, SPEC §4, §5): a CamelCase word shown by
/// `kubectl get agentruns -o wide` and used in Events.
///
/// An open set, as Kubernetes reasons are: the constants below are the ones this release writes,
/// and any other value read from the API (written by a newer operator) still decodes.
public struct AgentRunReason: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    // Pending
    public static let queuedBehindActiveRun = AgentRunReason("QueuedBehindActiveRun")
    public static let waitingForSlot = AgentRunReason("WaitingForSlot")
    // Waiting
    public static let waitingMCP = AgentRunReason("WaitingMCP")
    public static let waitingOwnerReview = AgentRunReason("WaitingOwnerReview")
    // Failed
    public static let failedPrecondition = AgentRunReason("FailedPrecondition")
    public static let jobFailed = AgentRunReason("JobFailed")
    public static let imagePullBackOff = AgentRunReason("ImagePullBackOff")
    public static let crashLoopBackOff = AgentRunReason("CrashLoopBackOff")
    public static let createContainerConfigError = AgentRunReason("CreateContainerConfigError")
    public static let deadlineExceeded = AgentRunReason("DeadlineExceeded")
    public static let jobNotFound = AgentRunReason("JobNotFound")
    // Succeeded / Cancelled
    public static let completed = AgentRunReason("Completed")
    public static let cancelRequested = AgentRunReason("CancelRequested")
    public static let deleted = AgentRunReason("Deleted")

    /// The reasons of this release, in the order above (docs/api.md lists them by phase).
    public static let known: [AgentRunReason] = [
        .queuedBehindActiveRun, .waitingForSlot, .waitingMCP, .waitingOwnerReview, .failedPrecondition, .jobFailed,
        .imagePullBackOff, .crashLoopBackOff, .createContainerConfigError, .deadlineExceeded, .jobNotFound, .completed,
        .cancelRequested, .deleted,
    ]
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

import Runs

/// The seam to the namespace leases (issue 11, SPEC §4/§6): when an issue or pull request is
/// closed, the adapter cancels its runs and asks this to end the issue's namespace leases
/// `closeGrace` from now.
///
/// Contract for conformers: idempotent (a redelivered close calls it again) and throws only when
/// the request did not take effect, so the adapter can answer 503 and GitHub can redeliver.
public protocol IssueLeaseEnding: Sendable {
    func endLeases(repository: String, issue: Int64, after grace: RunDuration) async throws
}

/// Ends nothing (for adapters that must not write beyond runs, e.g. in tests). `WebhookService`
/// uses `RunLeaseCloser` unless given another.
public struct LeaseEndingNotImplemented: IssueLeaseEnding {
    public init() {}
    public func endLeases(repository: String, issue: Int64, after grace: RunDuration) async throws {}
}

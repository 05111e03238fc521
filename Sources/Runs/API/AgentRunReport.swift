/// `status.report`: what the GitHub reporter last told GitHub about a run (issue 13), so that a
/// report is neither repeated nor lost across operator restarts and leader changes.
///
/// Written only by the operator leader's reporter, with a merge patch of `/status` that touches
/// nothing else; the reconciler's whole-status PUTs carry it along unchanged.
public struct AgentRunReport: Codable, Sendable, Hashable {
    /// The id of the run's status comment on the issue (or the pull request of a PR-triggered run).
    public var commentID: Int64?
    /// The last state reported to each target, at most one entry per target.
    public var targets: [ReportedState]?

    public init(commentID: Int64? = nil, targets: [ReportedState]? = nil) {
        self.commentID = commentID
        self.targets = targets
    }

    /// The state last reported to `target`, if any.
    public func state(of target: ReportTarget) -> String? {
        targets?.first { $0.target == target }?.state
    }

    /// Records `state` as reported to `target` (replacing an earlier entry of that target).
    public mutating func set(_ target: ReportTarget, _ state: String) {
        var list = (targets ?? []).filter { $0.target != target }
        list.append(ReportedState(target: target, state: state))
        targets = list.sorted { $0.target.rawValue < $1.target.rawValue }
    }
}

/// Where a report goes.
public enum ReportTarget: String, Codable, Sendable, Hashable, CaseIterable {
    /// The status comment (its state key: phase, reason, namespace state).
    case comment
    /// The `state:in-review` label on the issue.
    case issueLabels
    /// The `state:in-review` label on the pull request.
    case pullRequestLabels
    /// The `need:input` label and its comment (a profile conflict).
    case needInput
}

/// One target's last reported state.
public struct ReportedState: Codable, Sendable, Hashable {
    public var target: ReportTarget
    /// An opaque key of what was reported (equal keys mean nothing new to report).
    public var state: String

    public init(target: ReportTarget, state: String) {
        self.target = target
        self.state = state
    }
}

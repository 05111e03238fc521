import KubeAPI

/// How a closed issue or pull request ends its namespace leases (SPEC §4, §6): the webhook adapter
/// records the close on the issue's AgentRuns, the operator's lease rules read it back. Shared here
/// so the two cannot disagree on the annotations.
///
/// Contract:
/// - `codex-k8s.dev/closed-at` (RFC 3339, the adapter's clock when the close arrived) and
///   `codex-k8s.dev/close-grace` (a `RunDuration`, the adapter's `closeGrace`) go on every AgentRun
///   of the repository+issue that exists then; a run that already has them keeps them (a
///   redelivered close changes nothing).
/// - A run namespace used by such runs ends `closed-at + close-grace` — unless its lease was renewed
///   after the close (a revise of the reopened issue reuses it): a renewal at or after `closed-at`
///   voids that close for the namespace.
public enum IssueClosure {
    public static let closedAtAnnotation = "codex-k8s.dev/closed-at"
    public static let graceAnnotation = "codex-k8s.dev/close-grace"

    /// The merge patch that records a close at `at` with `grace`.
    public static func patch(closedAt at: KubeTime, grace: RunDuration) -> JSONValue {
        .object(["metadata": .object(["annotations": .object([
            closedAtAnnotation: .string(at.rfc3339), graceAnnotation: .string(grace.description),
        ])])])
    }

    /// Whether `annotations` already record a close.
    public static func isRecorded(_ annotations: [String: String]?) -> Bool {
        annotations?[closedAtAnnotation].flatMap(KubeTime.init(rfc3339:)) != nil
    }

    /// The close recorded in `annotations`: when it arrived and when the leases it ends end
    /// (`closed-at + close-grace`; `defaultGrace` when the grace is missing or unreadable). `nil`
    /// without a readable `closed-at`.
    public static func recorded(_ annotations: [String: String]?, defaultGrace: RunDuration) -> (closedAt: KubeTime, end: KubeTime)? {
        guard let at = annotations?[closedAtAnnotation].flatMap(KubeTime.init(rfc3339:)) else { return nil }
        let grace = annotations?[graceAnnotation].flatMap(RunDuration.parse) ?? defaultGrace
        return (at, at.adding(seconds: Double(grace.seconds)))
    }
}

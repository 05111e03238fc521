import KubeAPI
import Runs

/// What the Job and its pods say about a run (SPEC §5 "phase from Job and Pod truth").
public enum JobObservation: Sendable, Hashable {
    /// The Job exists; its pod is not running yet (scheduling, pulling, creating).
    case starting
    /// The pod runs (phase Running with a running container).
    case running
    case succeeded
    /// The Job failed: `JobFailed`, or `DeadlineExceeded` when its own deadline ended it.
    case failed(reason: AgentRunReason, message: String)
    /// A container is stuck in a back-off that fails the run once it lasted the grace period.
    /// `since` is when the pod's Ready condition last became False (the kubelet's clock), when it
    /// says; `key` identifies the pod and reason for the operator's own first-seen time otherwise.
    case stuck(reason: AgentRunReason, message: String, since: KubeTime?, key: String)
}

/// Reads Job and Pod status into a `JobObservation` — a pure function.
///
/// Contract: the Job's `Complete`/`Failed` condition decides over pods (the Job controller has
/// the last word); the failure message is the agent container's termination message when it has
/// one, else the condition's. Before that, the newest pod of the Job decides: a container waiting
/// in `ImagePullBackOff`/`ErrImagePull` (→ `ImagePullBackOff`), `CrashLoopBackOff` or
/// `CreateContainerConfigError` is `stuck`; a Running pod with a running container is `running`.
public enum JobObserver {
    static let stuckReasons: [String: AgentRunReason] = [
        "ImagePullBackOff": .imagePullBackOff, "ErrImagePull": .imagePullBackOff,
        "CrashLoopBackOff": .crashLoopBackOff, "CreateContainerConfigError": .createContainerConfigError,
    ]

    public static func observe(job: Job, pods: [Pod]) -> JobObservation {
        let newest = pods.max { a, b in
            (a.metadata.creationTimestamp ?? KubeTime(secondsSince1970: 0), a.metadata.name ?? "")
                < (b.metadata.creationTimestamp ?? KubeTime(secondsSince1970: 0), b.metadata.name ?? "")
        }
        let conditions = job.status?.conditions ?? []
        if conditions.contains(where: { $0.type == "Complete" && $0.status == "True" }) { return .succeeded }
        if let failed = conditions.first(where: { $0.type == "Failed" && $0.status == "True" }) {
            let reason: AgentRunReason = failed.reason == "DeadlineExceeded" ? .deadlineExceeded : .jobFailed
            let message = pods.lazy.compactMap(terminationMessage).first
                ?? failed.message ?? failed.reason ?? "the Job failed"
            return .failed(reason: reason, message: message)
        }
        guard let pod = newest else { return .starting }
        for c in pod.status?.containerStatuses ?? [] {
            if let waiting = c.state?.waiting, let r = waiting.reason, let reason = stuckReasons[r] {
                let text = waiting.message.map { "\(r): \($0)" } ?? r
                let since = pod.status?.conditions?.first { $0.type == "Ready" && $0.status == "False" }?.lastTransitionTime
                return .stuck(reason: reason, message: "container \(c.name): \(text)", since: since,
                              key: "\(pod.metadata.uid ?? pod.metadata.name ?? "")/\(reason.rawValue)")
            }
        }
        if pod.status?.phase == "Running",
           (pod.status?.containerStatuses ?? []).contains(where: { $0.state?.running != nil }) {
            return .running
        }
        return .starting
    }

    /// `container agent exited with code 1 (Error): <message>` for a terminated container with a
    /// non-zero exit code.
    static func terminationMessage(_ pod: Pod) -> String? {
        for c in pod.status?.containerStatuses ?? [] {
            guard let t = c.state?.terminated ?? c.lastState?.terminated, t.exitCode != 0 else { continue }
            var text = "container \(c.name) exited with code \(t.exitCode)"
            if let reason = t.reason { text += " (\(reason))" }
            if let message = t.message, !message.isEmpty { text += ": \(message)" }
            return text
        }
        return nil
    }
}

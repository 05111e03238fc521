import KubeAPI
import Runs

/// Why a revise run got a fresh namespace (`run.namespace.reuse_missed`, payload `cause`).
public enum ReuseMissCause: String, Sendable, Hashable, CaseIterable {
    /// The key's newest namespace is past its lease (or only kept for debugging, `Retained`).
    case expired
    /// Its expiry has begun (`Expired`/`Terminating`, or the Namespace is being deleted).
    case terminating
    /// The key has no run namespace (never had one, or it is gone).
    case missing
    /// The namespace was made for another mode (full-env vs code-only) than the revise run's.
    case modeDiffers = "mode_differs"
}

/// Where a revise run goes (SPEC §6).
public enum ReuseDecision: Sendable, Hashable {
    /// Reuse this Active, leased RunNamespace (renew it, conditionally on its resourceVersion).
    case reuse(RunNamespace)
    /// A fresh namespace; `previous` names the namespace that could not be reused, if any.
    case miss(ReuseMissCause, previous: String?)
}

/// The revise-reuse rule of SPEC §6, pure.
///
/// The candidate is the key's newest RunNamespace (repository case-insensitive, issue, stage; by
/// last renewal, then creation, then name) that is past `Provisioning`: a superseded namespace is
/// never chosen over the one that superseded it. It is reused when it is `Active`, not being
/// deleted, its lease ends after `now`, and its mode is the run's; otherwise the first failing
/// check names the miss (terminating, expired, mode differs; no candidate: missing).
public enum ReusePolicy {
    public static func decide(_ candidates: [RunNamespace], repository: String, issue: Int64, stage: Stage, mode: RunMode,
                              now: KubeTime) -> ReuseDecision {
        let epoch = KubeTime(secondsSince1970: 0)
        let key = candidates.filter {
            $0.spec.repository.lowercased() == repository.lowercased() && $0.spec.issue == issue && $0.spec.stage == stage
                && $0.status?.phase != nil && $0.status?.phase != .provisioning
        }
        guard let newest = key.max(by: {
            ($0.status?.leaseRenewedAt ?? epoch, $0.metadata.creationTimestamp ?? epoch, $0.metadata.name ?? "")
                < ($1.status?.leaseRenewedAt ?? epoch, $1.metadata.creationTimestamp ?? epoch, $1.metadata.name ?? "")
        }) else { return .miss(.missing, previous: nil) }
        let name = newest.metadata.name
        switch newest.status?.phase {
        case .expired?, .terminating?: return .miss(.terminating, previous: name)
        case .retained?: return .miss(.expired, previous: name)
        default: break
        }
        if newest.metadata.deletionTimestamp != nil { return .miss(.terminating, previous: name) }
        guard let lease = newest.status?.leaseExpiresAt, lease > now else { return .miss(.expired, previous: name) }
        if newest.spec.mode != mode { return .miss(.modeDiffers, previous: name) }
        return .reuse(newest)
    }
}

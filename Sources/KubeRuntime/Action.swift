/// What a successful reconcile asks for next (kube-rs `Action`).
public enum Action: Sendable, Hashable {
    /// Reconcile this key again after the delay even if nothing changes (earliest request wins).
    case requeue(after: Duration)
    /// Do nothing until a watched object mapped to this key changes.
    case awaitChange
}

/// What the error policy decides for a failed reconcile.
public enum ErrorAction: Sendable, Hashable {
    /// Retry through the queue's rate limiter (per-key 5 ms → 1000 s, global token bucket).
    case backoff
    /// Retry after a fixed delay (the per-key backoff is left as is).
    case requeue(after: Duration)
    /// Give up until the next change; the per-key backoff is reset.
    case awaitChange
}

/// Decides how a failed reconcile is retried, given the key, the error and how many rate-limited
/// retries the key already had. Kept separate from `reconcile` (kube-rs `error_policy`).
public typealias ErrorPolicy = @Sendable (_ key: ObjectKey, _ error: any Error, _ retries: Int) -> ErrorAction

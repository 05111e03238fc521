/// When and how long to wait before retrying a failed request.
///
/// Contract (Kubernetes client practice, see docs/kubeclient.md):
/// - Only requests marked `idempotent` are retried after 5xx, transport failures (connection
///   refused/reset, timeouts) or idle-stream ends: GET, LIST, PUT (replace: same body, guarded by
///   `resourceVersion`), DELETE, and merge/strategic/apply PATCH. JSON patch and POST (create)
///   are not idempotent and are never retried on those.
/// - 429 Too Many Requests means the server rejected the request before executing it, so every
///   verb, create included, is retried after `Retry-After` (clamped to `maxDelay`).
/// - Delays are exponential from `baseDelay` with full jitter, capped at `maxDelay`; at most
///   `maxAttempts` attempts in total. Sleeping goes through the injected `sleeper`, so tests
///   never sleep.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Waits the given time; throws on cancellation.
    public var sleeper: @Sendable (Duration) async throws -> Void
    /// A random number in 0..<1, for jitter.
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(30),
                sleeper: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleeper = sleeper
        self.random = random
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before attempt `attempt + 1` after `error`, or `nil` to give up.
    /// - Parameter attempt: the 1-based number of the attempt that just failed.
    public func delay(after error: KubeError, attempt: Int, idempotent: Bool) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        switch error {
        case .tooManyRequests(let after, _):
            if let after { return min(after, maxDelay) }
            return backoff(attempt)
        case .server(let code, _, _) where code >= 500 && idempotent:
            return backoff(attempt)
        case .transport, .idleTimeout:
            return idempotent ? backoff(attempt) : nil
        default:
            return nil
        }
    }

    /// Full-jitter exponential backoff: uniform in [0, min(maxDelay, baseDelay * 2^(attempt-1))].
    func backoff(_ attempt: Int) -> Duration {
        let cap = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        return cap * random()
    }
}

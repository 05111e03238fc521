import Synchronization

/// What the client knows about GitHub's rate limits, and the rule that keeps it from sending
/// while a limit is in force (docs.github.com "Rate limits for the REST API"):
/// - every answer's `x-ratelimit-remaining` / `x-ratelimit-reset` (UTC epoch seconds) is kept
///   (the lowest remaining of a window, since concurrent answers arrive in any order); when
///   `remaining` is 0, nothing is sent until `reset`;
/// - a 403/429 with `retry-after: N` blocks for N seconds; a 403/429 with `remaining: 0` blocks
///   until `reset`; a 403/429 saying "secondary rate limit" without either blocks for a minute.
///
/// `now` is UTC epoch seconds, injected so tests move time without sleeping.
final class GitHubRateLimitGate: Sendable {
    /// The wait when GitHub signals a secondary limit but gives no time ("wait at least one minute").
    static let defaultWait = 60.0

    private struct State {
        var remaining: Int?
        var reset: Double?
        var blockedUntil: Double?
    }

    private let state = Mutex(State())
    let now: @Sendable () -> Double

    init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// Seconds to wait before anything may be sent, or nil when sending is allowed now.
    func waitBeforeSending() -> Double? {
        let t = now()
        return state.withLock { s -> Double? in
            var until = s.blockedUntil ?? 0
            if s.remaining == 0, let reset = s.reset { until = max(until, reset) }
            if until > t { return until - t }
            if s.remaining == 0 { s.remaining = nil }  // the reset has passed
            s.blockedUntil = nil
            return nil
        }
    }

    /// The budget left in the current window (the lowest `x-ratelimit-remaining` seen for its reset).
    var remaining: Int? { state.withLock { $0.remaining } }

    /// Records an answer's headers; returns the wait when the answer is a rate-limit refusal.
    func record(status: Int, headers: [String: String], message: String) -> Double? {
        let t = now()
        let remaining = headers["x-ratelimit-remaining"].flatMap { Int($0) }
        let reset = headers["x-ratelimit-reset"].flatMap { Double($0) }
        let retryAfter = headers["retry-after"].flatMap { Double($0) }
        return state.withLock { s -> Double? in
            // Answers of concurrent requests arrive in any order: within one window (same reset)
            // the lowest remaining is the truth; a new reset starts a new window.
            if let remaining {
                if let reset, reset != s.reset { s.remaining = remaining } else { s.remaining = min(s.remaining ?? remaining, remaining) }
            }
            if let reset { s.reset = reset }
            guard status == 403 || status == 429 else { return nil }
            let wait: Double
            if let retryAfter {
                wait = max(retryAfter, 0)
            } else if remaining == 0, let reset {
                // A reset already past by our clock while GitHub still refuses: our clock is ahead.
                wait = reset > t ? reset - t : Self.defaultWait
            } else if status == 429 || message.lowercased().contains("rate limit") {
                wait = Self.defaultWait
            } else {
                return nil  // a 403 that is not a limit: a permission problem
            }
            s.blockedUntil = max(s.blockedUntil ?? 0, t + wait)
            return wait
        }
    }
}

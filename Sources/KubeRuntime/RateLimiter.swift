/// Decides how long a key must wait before its next retry (controller-runtime's `RateLimiter`).
///
/// Implementations are value types kept inside the work queue's lock, so they need no locking.
public protocol RateLimiter: Sendable {
    /// Records one more retry of `key` at `now` and returns its delay.
    mutating func when(_ key: ObjectKey, now: MonotonicInstant) -> Duration
    /// Forgets `key`'s failures (after a successful reconcile).
    mutating func forget(_ key: ObjectKey)
    /// How many retries `key` has had since it was last forgotten.
    func retries(_ key: ObjectKey) -> Int
}

/// Per-key exponential backoff: the n-th retry (n from 0) waits `min(base * 2^n, maximum)`.
/// Defaults 5 ms → 1000 s, as controller-runtime.
public struct PerKeyExponentialRateLimiter: RateLimiter {
    public var base: Duration
    public var maximum: Duration
    private var failures: [ObjectKey: Int] = [:]

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public mutating func when(_ key: ObjectKey, now: MonotonicInstant) -> Duration {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        // 2^n overflows quickly; past 2^40 any sane base exceeds the maximum anyway.
        let delay = Duration.scaled(base, by: Double(1 << min(n, 40)))
        return min(delay, maximum)
    }

    public mutating func forget(_ key: ObjectKey) { failures[key] = nil }

    public func retries(_ key: ObjectKey) -> Int { failures[key, default: 0] }
}

/// A global token bucket shared by all keys: `rate` tokens per second, at most `burst` saved.
/// Each retry reserves one token and waits until that token exists (golang `rate.Limiter.Reserve`),
/// so a storm of failures is spread out at `rate` retries per second. Defaults 10/s, burst 100.
public struct TokenBucketRateLimiter: RateLimiter {
    public var rate: Double
    public var burst: Double
    private var tokens: Double
    private var last: MonotonicInstant?

    public init(rate: Double = 10, burst: Int = 100) {
        precondition(rate > 0 && burst > 0, "token bucket needs a positive rate and burst")
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
    }

    public mutating func when(_ key: ObjectKey, now: MonotonicInstant) -> Duration {
        if let last, now > last {
            tokens = min(burst, tokens + (now - last).seconds * rate)
        }
        last = max(last ?? now, now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .nanoseconds(Int64((-tokens / rate * 1e9).rounded(.up)))
    }

    public mutating func forget(_ key: ObjectKey) {}

    public func retries(_ key: ObjectKey) -> Int { 0 }
}

/// The longest delay of several limiters (controller-runtime's `MaxOfRateLimiter`); every limiter
/// records every retry. `default` is per-key 5 ms → 1000 s combined with a 10/s, burst-100 bucket.
public struct MaxOfRateLimiter: RateLimiter {
    public var limiters: [any RateLimiter]

    public init(_ limiters: [any RateLimiter]) { self.limiters = limiters }

    public static var `default`: MaxOfRateLimiter {
        MaxOfRateLimiter([PerKeyExponentialRateLimiter(), TokenBucketRateLimiter()])
    }

    public mutating func when(_ key: ObjectKey, now: MonotonicInstant) -> Duration {
        var longest = Duration.zero
        for i in limiters.indices { longest = max(longest, limiters[i].when(key, now: now)) }
        return longest
    }

    public mutating func forget(_ key: ObjectKey) {
        for i in limiters.indices { limiters[i].forget(key) }
    }

    public func retries(_ key: ObjectKey) -> Int {
        limiters.map { $0.retries(key) }.max() ?? 0
    }
}

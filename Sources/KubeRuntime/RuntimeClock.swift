import Foundation

/// A point on a monotonic time line: the elapsed time since the clock's own origin.
public struct MonotonicInstant: Sendable, Hashable, Comparable {
    public var sinceOrigin: Duration

    public init(sinceOrigin: Duration) { self.sinceOrigin = sinceOrigin }

    public static func < (a: Self, b: Self) -> Bool { a.sinceOrigin < b.sinceOrigin }
    public static func + (a: Self, d: Duration) -> Self { Self(sinceOrigin: a.sinceOrigin + d) }
    public static func - (a: Self, b: Self) -> Duration { a.sinceOrigin - b.sinceOrigin }
}

/// The one seam through which KubeRuntime reads time and waits: every time-based decision
/// (backoff, delayed requeue, token bucket, lease expiry, idle watches) goes through it, so tests
/// drive time explicitly instead of sleeping.
///
/// Contract: `now()` never goes backwards; `suspend(until:)` returns at or after `deadline`
/// and throws `CancellationError` promptly when its task is cancelled.
public protocol RuntimeClock: Sendable {
    /// Monotonic time, for durations and deadlines.
    func now() -> MonotonicInstant
    /// Wall-clock time, only for timestamps written to the API (Lease renewTime, Event eventTime).
    func wallNow() -> Date
    func suspend(until deadline: MonotonicInstant) async throws
}

extension RuntimeClock {
    /// Suspends for `duration` from now (returns at once for a non-positive duration).
    public func suspend(for duration: Duration) async throws {
        try await suspend(until: now() + duration)
    }
}

/// The real clock: `ContinuousClock` for monotonic time, `Date()` for wall time.
public struct SystemRuntimeClock: RuntimeClock {
    private let origin: ContinuousClock.Instant

    public init() { origin = ContinuousClock.now }

    public func now() -> MonotonicInstant {
        MonotonicInstant(sinceOrigin: ContinuousClock.now - origin)
    }

    public func wallNow() -> Date { Date() }

    public func suspend(until deadline: MonotonicInstant) async throws {
        try await ContinuousClock().sleep(until: origin + deadline.sinceOrigin, tolerance: nil)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// `self * factor`, for backoff arithmetic; saturates at `Int64.max` nanoseconds (292 years)
    /// instead of trapping. A watcher failing for about a minute used to crash the process here:
    /// its 37th consecutive failure asked for 0.2 s · 2³⁶ before the backoff applied its cap.
    static func scaled(_ d: Duration, by factor: Double) -> Duration {
        let nanoseconds = (d.seconds * factor * 1e9).rounded()
        guard nanoseconds < Double(Int64.max) else { return .nanoseconds(Int64.max) }
        return .nanoseconds(Int64(nanoseconds))
    }
}

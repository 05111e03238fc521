import KubeRuntime
import Synchronization

/// The reporter's one door to GitHub: closed while GitHub asked us to wait (`Retry-After`,
/// `x-ratelimit-reset`, secondary limits). The limit is per token, so one gate serves every run.
///
/// Contract: after `close(for: d)` at time t, `remaining()` is positive until t + d on the
/// injected clock; a later, shorter close never reopens the gate early.
final class RateLimitGate: Sendable {
    private let clock: any RuntimeClock
    private let closedUntil = Mutex<MonotonicInstant?>(nil)

    init(clock: any RuntimeClock) { self.clock = clock }

    /// How long callers must still wait (nil: the gate is open).
    func remaining() -> Duration? {
        let now = clock.now()
        return closedUntil.withLock { until in
            guard let u = until, now < u else { return nil }
            return u - now
        }
    }

    func close(for seconds: Double) {
        let until = clock.now() + .milliseconds(Int64((max(seconds, 1) * 1000).rounded(.up)))
        closedUntil.withLock { current in
            if current == nil || current! < until { current = until }
        }
    }
}

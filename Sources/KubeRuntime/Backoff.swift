/// Jittered exponential backoff with a reset after a quiet period — the watcher's error policy.
///
/// The n-th consecutive failure (n from 0) waits `min(initial * 2^n, maximum)`, scaled by a
/// uniform factor in `[1 - jitter, 1]` (so the cap is never exceeded and synchronized clients
/// spread out). When more than `resetAfter` has passed since the previous failure, the sequence
/// starts again at `initial`. Defaults follow kube-rs: 0.8 s → 30 s, reset after 120 s.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var resetAfter: Duration
    /// Fraction of the nominal delay that jitter may remove, in `[0, 1]`.
    public var jitter: Double
    private var failures = 0
    private var lastFailure: MonotonicInstant?
    private var random: @Sendable () -> Double

    /// - Parameter random: a source of uniform values in `[0, 1)`; injectable for tests.
    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30),
                resetAfter: Duration = .seconds(120), jitter: Double = 0.2,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
        self.jitter = min(max(jitter, 0), 1)
        self.random = random
    }

    /// The nominal (un-jittered) delay for the next failure if it happened at `now`.
    public func nominalDelay(at now: MonotonicInstant) -> Duration {
        let n = isQuiet(at: now) ? 0 : failures
        let factor = Double(1 << min(n, 40))
        let nominal = Duration.scaled(initial, by: factor)
        return min(nominal, maximum)
    }

    /// Records a failure at `now` and returns how long to wait before the next attempt.
    public mutating func nextDelay(at now: MonotonicInstant) -> Duration {
        let nominal = nominalDelay(at: now)
        if isQuiet(at: now) { failures = 0 }
        failures += 1
        lastFailure = now
        return Duration.scaled(nominal, by: 1 - jitter * random())
    }

    /// Forgets all failures (e.g. after a success that proves the remote healthy).
    public mutating func reset() {
        failures = 0
        lastFailure = nil
    }

    private func isQuiet(at now: MonotonicInstant) -> Bool {
        guard let lastFailure else { return true }
        return now - lastFailure > resetAfter
    }
}

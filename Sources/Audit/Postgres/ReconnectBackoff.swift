/// Exponential reconnect delays with jitter: the n-th consecutive failure waits a random time in
/// [d/2, d] where d = min(maximum, initial · 2ⁿ), so many replicas do not reconnect in lockstep.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Double
    public var maximum: Double
    private var failures = 0

    public init(initial: Double = 0.1, maximum: Double = 30) {
        self.initial = max(0.001, initial)
        self.maximum = max(self.initial, maximum)
    }

    /// The delay before the next attempt, in seconds; advances the failure count.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let ceiling = min(maximum, initial * Double(1 << min(failures, 30)))
        failures += 1
        return Double.random(in: (ceiling / 2)...ceiling, using: &generator)
    }

    public mutating func next() -> Double {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    /// After a success: the next failure starts from `initial` again.
    public mutating func reset() { failures = 0 }
}

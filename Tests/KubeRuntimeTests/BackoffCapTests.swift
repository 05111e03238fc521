import Testing
@testable import KubeRuntime

/// A backoff stays at its cap however long the failures go on: the doubling must not overflow
/// before the cap applies (it trapped at the 37th failure of the watcher's 0.2 s → 1.6 s backoff,
/// i.e. after about a minute of an unreachable API server, and took the process down).
@Suite struct BackoffCapTests {
    @Test(arguments: [(Duration.milliseconds(200), Duration.milliseconds(1600)), (.milliseconds(800), .seconds(30))])
    func aThousandFailuresInARowStayAtTheCap(initial: Duration, maximum: Duration) {
        var backoff = Backoff(initial: initial, maximum: maximum, jitter: 0)
        let start = MonotonicInstant(sinceOrigin: .zero)
        var delays: [Duration] = []
        for i in 0..<1000 { delays.append(backoff.nextDelay(at: start + .milliseconds(100 * i))) }
        #expect(delays.first == initial)
        #expect(delays.suffix(900).allSatisfy { $0 == maximum })
    }

    @Test func scalingSaturatesInsteadOfTrapping() {
        #expect(Duration.scaled(.seconds(1), by: 1e30) == .nanoseconds(Int64.max))
        #expect(Duration.scaled(.milliseconds(200), by: 4) == .milliseconds(800))
    }
}

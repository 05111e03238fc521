import Testing
@testable import KubeRuntime

/// `QuietRelease`, sampled once a second on explicit instants: the start-up release it is told
/// about, and bursts shorter than a sample tick.
@Suite struct QuietReleaseTests {
    static func at(_ seconds: Int) -> MonotonicInstant { MonotonicInstant(sinceOrigin: .seconds(seconds)) }

    /// Samples the policy once a second from `from` to `to` (inclusive) with `adds(t)` and never
    /// busy; the seconds at which it released.
    static func run(_ policy: inout QuietRelease, from: Int, to: Int, adds: (Int) -> Int) -> [Int] {
        (from...to).filter { policy.sample(adds: adds($0), busy: false, at: at($0)) }
    }

    @Test func theStartUpReleaseCountsAsTheLastRelease() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        // The initial sync queued 500 keys; the start-up release happened at t = 0 after them.
        policy.released(adds: 500, at: Self.at(0))
        let released1 = Self.run(&policy, from: 1, to: 600) { _ in 500 }
        #expect(released1 == [], "the initial sync's adds are not a burst")
        // A real burst later: 100 more adds, then quiet.
        let released2 = Self.run(&policy, from: 601, to: 700) { _ in 600 }
        #expect(released2 == [607], "t = 601 sees the counter move; quiet from 602")

        var early = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        early.released(adds: 0, at: Self.at(0))
        let released3 = Self.run(&early, from: 1, to: 100) { _ in 150 }
        #expect(released3 == [60],
                "work right after start-up waits for the interval from the start-up release")
    }

    @Test func addsBetweenSamplesAreWorkEvenWhenNoSampleSeesAQueueBusy() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        // 100 keys added and processed between every two samples: never busy at a sample.
        let released4 = Self.run(&policy, from: 1, to: 120) { $0 * 100 }
        #expect(released4 == [], "the counter moves at every sample")
        // The bursts stop at 12 000 adds (t = 120): quiet from the first sample that sees no change.
        let released5 = Self.run(&policy, from: 121, to: 200) { _ in 12_000 }
        #expect(released5 == [126])
    }

    @Test func aBusySampleStillRestartsTheQuietTime() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        let samples: [(t: Int, busy: Bool)] = [(1, false), (5, false), (6, true), (7, false), (11, false), (12, false)]
        let released = samples.filter { policy.sample(adds: 200, busy: $0.busy, at: Self.at($0.t)) }.map(\.t)
        #expect(released == [12], "quiet from 7 (after the busy sample at 6), so 5 s later")
    }
}

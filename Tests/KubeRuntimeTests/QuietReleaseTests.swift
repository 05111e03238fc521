import Testing
@testable import KubeRuntime

/// `QuietRelease`, sampled once a second on explicit instants: the start-up release it is told
/// about, and keys added between samples.
@Suite struct QuietReleaseTests {
    static func at(_ seconds: Int) -> MonotonicInstant { MonotonicInstant(sinceOrigin: .seconds(seconds)) }

    /// Samples the policy once a second from `from` to `to` (inclusive) with `adds(t)`, busy at the
    /// seconds in `busy`; the seconds at which it released.
    static func run(_ policy: inout QuietRelease, from: Int, to: Int, busy: Set<Int> = [], adds: (Int) -> Int) -> [Int] {
        (from...to).filter { policy.sample(adds: adds($0), busy: busy.contains($0), at: at($0)) }
    }

    @Test func theStartUpReleaseCountsTheSyncsAddsButStartsNoInterval() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        // The initial sync queued 500 keys; the start-up release happened after them.
        policy.released(adds: 500)
        let released1 = Self.run(&policy, from: 1, to: 600) { _ in 500 }
        #expect(released1 == [], "the initial sync's adds are not a burst")
        // A real burst later: 100 more adds, the queues busy at 601–603, then quiet.
        let released2 = Self.run(&policy, from: 601, to: 700, busy: [601, 602, 603]) { _ in 600 }
        #expect(released2 == [609], "quiet from 604, so 5 s later")

        var early = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        early.released(adds: 0)
        let released3 = Self.run(&early, from: 1, to: 100, busy: [1, 2]) { _ in 150 }
        #expect(released3 == [8],
                "a burst right after start-up is given back once quiet: the interval does not count from the start-up release")
    }

    @Test func singleAddsBetweenSamplesDoNotKeepAProcessFromBeingQuiet() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        // A burst of 1,000 keys busy at t = 0, then one key added and done every second.
        let released = Self.run(&policy, from: 0, to: 200, busy: [0]) { 1000 + $0 }
        #expect(released == [6, 106],
                "quiet from 1; the next release needs 100 more adds (t = 106) and 60 s (t = 66)")
    }

    @Test func aBusySampleStillRestartsTheQuietTime() {
        var policy = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
        let samples: [(t: Int, busy: Bool)] = [(1, false), (5, false), (6, true), (7, false), (11, false), (12, false)]
        let released = samples.filter { policy.sample(adds: 200, busy: $0.busy, at: Self.at($0.t)) }.map(\.t)
        #expect(released == [12], "quiet from 7 (after the busy sample at 6), so 5 s later")
    }
}

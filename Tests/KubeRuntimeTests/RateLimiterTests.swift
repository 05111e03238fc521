import Testing
@testable import KubeRuntime

@Suite struct RateLimiterTests {
    let k = ObjectKey(namespace: "ns", name: "a")
    let t0 = MonotonicInstant(sinceOrigin: .zero)

    @Test func perKeyBackoffGrowsFrom5msTo1000sAndResets() {
        var r = PerKeyExponentialRateLimiter()
        let delays = (0..<5).map { _ in r.when(k, now: t0) }
        #expect(delays == [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(80)])
        for _ in 0..<30 { _ = r.when(k, now: t0) }
        #expect(r.when(k, now: t0) == .seconds(1000))
        #expect(r.retries(k) == 36)
        #expect(r.when(ObjectKey(namespace: "ns", name: "b"), now: t0) == .milliseconds(5), "keys back off independently")
        r.forget(k)
        #expect(r.retries(k) == 0)
        #expect(r.when(k, now: t0) == .milliseconds(5))
    }

    @Test func tokenBucketSpreadsRetriesAndRefills() {
        var b = TokenBucketRateLimiter(rate: 10, burst: 2)
        #expect(b.when(k, now: t0) == .zero)
        #expect(b.when(k, now: t0) == .zero)
        #expect(b.when(k, now: t0) == .milliseconds(100))
        #expect(b.when(k, now: t0) == .milliseconds(200))
        // 1 s later: 10 tokens earned, 2 owed, capped at the burst of 2 → two free retries.
        let t1 = t0 + .seconds(1)
        #expect(b.when(k, now: t1) == .zero)
        #expect(b.when(k, now: t1) == .zero)
        #expect(b.when(k, now: t1) == .milliseconds(100))
    }

    @Test func maxOfTakesTheLongestDelay() {
        var m = MaxOfRateLimiter([PerKeyExponentialRateLimiter(), TokenBucketRateLimiter(rate: 1, burst: 1)])
        #expect(m.when(k, now: t0) == .milliseconds(5))
        #expect(m.when(k, now: t0) == .seconds(1))
        #expect(m.retries(k) == 2)
        m.forget(k)
        #expect(m.retries(k) == 0)
    }

    @Test func watcherBackoffIsJitteredExponentialAndResetsAfterQuiet() {
        var b = Backoff(random: { 0 })
        var now = t0
        var seen: [Duration] = []
        for _ in 0..<8 {
            seen.append(b.nextDelay(at: now))
            now = now + .seconds(1)
        }
        #expect(seen == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200), .milliseconds(6400),
                         .milliseconds(12800), .milliseconds(25600), .seconds(30), .seconds(30)])
        // Maximum jitter removes 20 %.
        var j = Backoff(random: { 0.999_999_999 })
        let jittered = j.nextDelay(at: t0)
        #expect(jittered > .milliseconds(639) && jittered < .milliseconds(641))
        // After 120 s without failures the sequence starts again.
        now = now + .seconds(121)
        #expect(b.nextDelay(at: now) == .milliseconds(800))
    }
}

/// Gives memory back when a controller process goes quiet after a burst: samples its work queues
/// every `tick` on `clock` and calls `release` whenever `QuietRelease` says so; and calls `trim`
/// (the cheap part: `malloc_trim`) whenever `trimEvery` has passed without either, so a process
/// that never goes quiet still returns its free heap.
///
/// Contract: `release` and `trim` run on this task (awaited; the operator hands them to an
/// `OffPoolThread`), one at a time; `release` never while a sample shows a queue holding or
/// processing a key, at most once per sample; `trim` at the first sample at which `trimEvery` has
/// passed since the loop started or since the last `release` or `trim`, busy or not, and never at
/// the sample of a `release`. The loop ends when its task is cancelled. A sample reads each queue's
/// counters under its lock (no allocation on the queues' paths).
public enum QuietMemoryRelease {
    /// The total adds of `queues` so far (what `QuietRelease.released(adds:)` records).
    public static func adds(of queues: [WorkQueue]) -> Int {
        queues.reduce(0) { $0 + $1.stats.adds }
    }

    /// Samples `queues` every `tick` until cancelled; `release` is what to give back (in the
    /// operator: `StartupPages.release()` and `MallocTuning.trim()`), `trim` the periodic part.
    public static func run(queues: [WorkQueue], policy: QuietRelease, tick: Duration, clock: any RuntimeClock,
                           trimEvery: Duration, trim: () async -> Void, release: () async -> Void) async {
        var policy = policy
        var lastGiveBack = clock.now()
        while true {
            do { try await clock.suspend(for: tick) } catch { return }
            var adds = 0
            var busy = false
            for queue in queues {
                let stats = queue.stats
                adds += stats.adds
                busy = busy || stats.depth > 0 || stats.processing > 0
            }
            let now = clock.now()
            if policy.sample(adds: adds, busy: busy, at: now) {
                await release()
                lastGiveBack = now
            } else if now - lastGiveBack >= trimEvery {
                await trim()
                lastGiveBack = now
            }
        }
    }
}

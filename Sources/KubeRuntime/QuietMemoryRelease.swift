/// Gives memory back when a controller process goes quiet after a burst: samples its work queues
/// every `tick` on `clock` and calls `release` whenever `QuietRelease` says so.
///
/// Contract: `release` runs on this task, never while a sample shows a queue holding or processing
/// a key, and at most once per sample; the loop ends when its task is cancelled. A sample reads
/// each queue's counters under its lock (no allocation on the queues' paths).
public enum QuietMemoryRelease {
    /// Samples `queues` every `tick` until cancelled; `release` is what to give back (in the
    /// operator: `StartupPages.release()` and `MallocTuning.trim()`).
    public static func run(queues: [WorkQueue], policy: QuietRelease, tick: Duration,
                           clock: any RuntimeClock, release: () -> Void) async {
        var policy = policy
        while true {
            do { try await clock.suspend(for: tick) } catch { return }
            var adds = 0
            var busy = false
            for queue in queues {
                let stats = queue.stats
                adds += stats.adds
                busy = busy || stats.depth > 0 || stats.processing > 0
            }
            if policy.sample(adds: adds, busy: busy, at: clock.now()) { release() }
        }
    }
}

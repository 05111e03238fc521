/// When a controller process that has gone quiet after a burst of work gives memory back (the
/// decision only; `QuietMemoryRelease` samples the work queues and acts on it).
///
/// Why: a burst (hundreds of objects reconciled at once) faults in code pages of every path it
/// runs — counted in RSS 64 KiB at a time, for the life of the process — and frees heap it no
/// longer needs. Giving both back is cheap (`StartupPages.release`, `MallocTuning.trim`), but
/// doing it during the burst would only make the burst fault the same pages in again.
///
/// Contract, for samples taken in time order:
/// - a sample is *busy* when some queue holds or processes a key; a release never happens on a
///   busy sample, and the quiet time starts again at the next non-busy one. Keys added and done
///   between two samples do not make a sample busy: after a burst the operator's queues keep seeing
///   single keys added now and then, and counting those kept it from ever being quiet
///   (OperatorBenchmarks `hold=30`: no release at all after the burst, 41.4 MiB instead of 32.3).
///   A burst shorter than one tick can at worst be followed by a release early, which costs the
///   minor faults of what runs next;
/// - a release happens on the first sample at which the queues have been non-busy at every sample
///   for at least `quietFor`, at least `minimumWork` keys were added since the last release (before
///   the first: since the counter's start, or since the release recorded with `released(adds:)`
///   — the operator records its start-up release, so an initial sync's adds are not a burst), and
///   at least `minimumInterval` has passed since the last release;
/// - so a process with nothing to do never releases twice in a row, and one that keeps working
///   releases at most once per `minimumInterval`.
public struct QuietRelease: Sendable {
    /// How long the queues must stay idle before a release.
    public var quietFor: Duration
    /// The least time between two releases.
    public var minimumInterval: Duration
    /// How many queue adds since the last release make it worth another.
    public var minimumWork: Int

    private var quietSince: MonotonicInstant?
    private var lastRelease: MonotonicInstant?
    private var addsAtLastRelease = 0

    public init(quietFor: Duration, minimumInterval: Duration, minimumWork: Int) {
        self.quietFor = quietFor
        self.minimumInterval = minimumInterval
        self.minimumWork = minimumWork
    }

    /// Records a release made outside this policy (the start-up one) when `adds` keys had been
    /// added: the next release needs `minimumWork` more. `minimumInterval` does not count from it —
    /// a burst right after start-up is given back once the queues are quiet, not only a minute
    /// after the start.
    public mutating func released(adds: Int) {
        addsAtLastRelease = adds
    }

    /// Records a sample of the queues — `adds` is their total adds so far (a counter that only
    /// grows), `busy` whether any holds or processes a key — and returns whether to release now.
    public mutating func sample(adds: Int, busy: Bool, at now: MonotonicInstant) -> Bool {
        guard !busy else {
            quietSince = nil
            return false
        }
        let since = quietSince ?? now
        quietSince = since
        guard now - since >= quietFor, adds - addsAtLastRelease >= minimumWork else { return false }
        if let lastRelease, now - lastRelease < minimumInterval { return false }
        lastRelease = now
        addsAtLastRelease = adds
        return true
    }
}

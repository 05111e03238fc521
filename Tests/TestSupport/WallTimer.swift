import Dispatch

/// A one-shot deadline for test waits that fires even when Swift's cooperative thread pool is
/// saturated.
///
/// Why not `Task.sleep`: a `Task { try await Task.sleep(for: t); … }` has to be *scheduled* on the
/// cooperative pool before its sleep even starts, and has to be scheduled again when it ends. In a
/// full `swift test` run on a 2-core machine (hundreds of tests in parallel, some of them blocking a
/// pool thread in a synchronous call) that can take longer than the deadline itself: a 1-second
/// bound on a `sleep 60` child was seen to end only when the child exited after 60 s. This timer
/// runs `body` on a private serial dispatch queue (serviced by libdispatch's overcommit threads,
/// not by the cooperative pool), so the deadline is decided on time; whatever `body` resumes still
/// continues on the pool when it can.
///
/// Contract: `body` runs at most once, after `delay` (measured on the wall clock, not on the
/// pool's schedule); `cancel()` prevents it unless it has already started — a `body` racing with
/// the completion it bounds must find that completion done and do nothing, as every caller's
/// `resolve` does.
public final class WallTimer: @unchecked Sendable { // `source` is a dispatch source: thread-safe
    private static let queue = DispatchQueue(label: "codex-k8s.test-wall-timer")
    private let source: any DispatchSourceTimer

    /// Schedules `body` after `delay`.
    public init(after delay: Duration, _ body: @escaping @Sendable () -> Void) {
        let (seconds, attoseconds) = delay.components
        let nanoseconds = min(max(0, seconds), 1 << 32) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        source = DispatchSource.makeTimerSource(queue: Self.queue)
        source.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        source.setEventHandler { [source] in
            source.cancel() // one shot
            body()
        }
        source.resume()
    }

    /// Stops the timer if it has not fired yet (and releases it from the queue at once).
    public func cancel() { source.cancel() }
}

import Foundation

/// Runs blocking work on a thread of its own instead of the Swift concurrency pool.
///
/// Why: the cooperative pool has one thread per core (two on a small node); work that blocks for
/// milliseconds there — reading `/proc/self/smaps`, `madvise`, `malloc_trim` walking the free
/// lists — holds back every task queued behind it (reconciles, watch events, webhook requests).
public enum OffPoolThread {
    /// Runs `body` on a new thread named `name`, and returns when it has finished. Creating a thread
    /// costs tens of microseconds: for occasional work (once a minute), not for a hot path.
    public static func run(name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                Thread.current.name = name
                body()
                c.resume()
            }
            thread.start()
        }
    }
}

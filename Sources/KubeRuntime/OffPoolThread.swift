import KubeClient

/// Runs blocking work on a thread of its own instead of the Swift concurrency pool.
///
/// Why: the cooperative pool has one thread per core (two on a small node); work that blocks for
/// milliseconds there — reading `/proc/self/smaps`, `madvise`, `malloc_trim` walking the free
/// lists — holds back every task queued behind it (reconciles, watch events, webhook requests).
public enum OffPoolThread {
    /// The new thread's stack: the work is flat (a /proc read, madvise, malloc_trim).
    static let stackSize = 256 * 1024

    /// Runs `body` on a new thread named `name` (`LoopThread`: a detached POSIX thread that names
    /// itself before `body` runs), and returns when it has finished. Creating a thread costs tens
    /// of microseconds: for occasional work (once a minute), not for a hot path.
    public static func run(name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            LoopThread.start(name: name, stackSize: stackSize) {
                body()
                c.resume()
            }
        }
    }
}

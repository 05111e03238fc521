/// The loop thread as a `TaskExecutor`: tasks that prefer it (`withTaskExecutorPreference`,
/// `addTask(executorPreference:)`) run their jobs on "kube-h2-loop" between its I/O turns.
///
/// Why: a request made from such a task reaches a loop that is awake (no eventfd write), and its
/// response resumes the task on the same thread, in the same turn (no pool-thread wake-up) — the
/// two hand-offs every request otherwise costs.
///
/// Contract:
/// - Jobs run in the order they were enqueued, one at a time, after the turn's ready sockets and
///   before its sends (a request made by a job goes out in the same turn). At most
///   `H2Loop.maxDrains` batches per turn, so I/O and timers are never starved.
/// - A job must not block the thread for long (no waiting for anything the loop itself must do,
///   no long computation): it delays every connection's I/O. Blocking system calls of bounded
///   length (a log line written to stdout) are acceptable.
/// - After `shutdown`, jobs (queued or new) run on the global concurrent executor: no task is
///   ever lost.
extension H2Loop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        enqueue(.job(UnownedJob(job)))
    }

    /// A job the ended loop cannot run, handed to the global concurrent executor.
    static func runElsewhere(_ job: UnownedJob) {
        globalConcurrentExecutor.enqueue(ExecutorJob(job))
    }
}

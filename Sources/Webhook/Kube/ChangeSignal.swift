import Synchronization

/// A counter of changes that tasks can wait on: `bump()` after each change, `wait(after:)` returns
/// once the counter has moved past a value read earlier. Lets callers (tests, readiness checks)
/// wait for a cache to change instead of polling it.
///
/// Usage: `let v = signal.version; if condition() { done }; await signal.wait(after: v)`, in a
/// loop — a change between reading `v` and waiting is never missed.
public final class ChangeSignal: Sendable {
    private struct State {
        var version: UInt64 = 0
        var waiters: [UInt64: (after: UInt64, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// How many changes there have been.
    public var version: UInt64 { state.withLock { $0.version } }

    /// Records a change and wakes every waiter.
    public func bump() {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.version += 1
            let all = s.waiters.values.map(\.continuation)
            s.waiters = [:]
            return all
        }
        woken.forEach { $0.resume() }
    }

    /// Returns once `version > after` (at once if it already is), or when the task is cancelled.
    public func wait(after: UInt64) async {
        let id = state.withLock { s -> UInt64 in s.nextWaiter += 1; return s.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.version > after || Task.isCancelled { return true }
                    s.waiters[id] = (after, c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}

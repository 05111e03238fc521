import Foundation
import Synchronization

/// The stdout lines of a child process, read on a thread of its own and handed to one waiting
/// task at a time; every wait ends — with a line, at EOF, when its deadline passes, or when the
/// waiting task is cancelled — and none of these loses a line or ends the stream for the next wait.
/// The last `keep` lines stay available for failure messages (`recent`).
final class ChildOutput: Sendable {
    /// How one wait ended.
    enum Next: Sendable, Equatable {
        case line(String)
        case ended
        case timedOut
        case cancelled
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Next, Never>
        let timer: WallTimer?
    }

    private struct State {
        var pending: [String] = []
        var next = 0 // index of the first unread line in `pending`
        var recent: [String] = []
        var ended = false
        var waiter: Waiter?
        var waiterIDs: UInt64 = 0
    }

    private let state = Mutex(State())
    private let keep: Int

    init(keep: Int = 200) { self.keep = keep }

    /// Adds complete lines (reader thread).
    func append(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        let handed = state.withLock { s -> (Waiter, String)? in
            s.recent.append(contentsOf: lines)
            if s.recent.count > keep { s.recent.removeFirst(s.recent.count - keep) }
            s.pending.append(contentsOf: lines)
            guard let w = s.waiter else { return nil }
            s.waiter = nil
            return (w, Self.take(&s))
        }
        if let (w, line) = handed { w.timer?.cancel(); w.continuation.resume(returning: .line(line)) }
    }

    /// Marks EOF (reader thread).
    func finish() {
        let w = state.withLock { s -> Waiter? in
            s.ended = true
            defer { s.waiter = nil }
            return s.waiter
        }
        if let w { w.timer?.cancel(); w.continuation.resume(returning: .ended) }
    }

    /// The last lines read (at most `keep`).
    var recent: [String] { state.withLock { $0.recent } }

    /// The next line, or why there is none. One waiter at a time (the single-reader contract).
    func next(timeout: Duration) async -> Next {
        let id = state.withLock { s -> UInt64 in
            s.waiterIDs += 1
            return s.waiterIDs
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Next, Never>) in
                let now = state.withLock { s -> Next? in
                    if s.next < s.pending.count { return .line(Self.take(&s)) }
                    if s.ended { return .ended }
                    if Task.isCancelled { return .cancelled }
                    precondition(s.waiter == nil, "ChildProcess stdout has one reader at a time")
                    let timer = WallTimer(after: timeout) { [weak self] in self?.resolve(id, .timedOut) }
                    s.waiter = Waiter(id: id, continuation: c, timer: timer)
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        } onCancel: {
            resolve(id, .cancelled)
        }
    }

    /// Ends wait `id` with `outcome` if it is still the one waiting. (A cancellation before the wait
    /// registered is seen by the `Task.isCancelled` check made under the same lock.)
    private func resolve(_ id: UInt64, _ outcome: Next) {
        let w = state.withLock { s -> Waiter? in
            guard let w = s.waiter, w.id == id else { return nil }
            s.waiter = nil
            return w
        }
        if let w { w.timer?.cancel(); w.continuation.resume(returning: outcome) }
    }

    private static func take(_ s: inout State) -> String {
        let line = s.pending[s.next]
        s.next += 1
        if s.next > 1024 && s.next * 2 > s.pending.count {
            s.pending.removeFirst(s.next)
            s.next = 0
        }
        return line
    }
}

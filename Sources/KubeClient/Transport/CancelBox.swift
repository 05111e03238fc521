import Synchronization

/// Something in flight that a task's cancellation handler may have to cancel: a curl `Transfer`
/// or an HTTP/2 `H2Stream`.
protocol CancellableRequest: AnyObject, Sendable {
    /// Set by any thread when the request is cancelled (the loop checks it before starting it).
    var cancelled: Atomic<Bool> { get }
}

extension Transfer: CancellableRequest {}
extension H2Stream: CancellableRequest {}

/// Hands the request created inside a continuation to the task's cancellation handler; whichever
/// of `set` and `cancel` comes second acts: a request set after the task was cancelled is marked
/// cancelled (its loop finishes it as such), one cancelled after it was set is cancelled through
/// `cancel`'s closure (its loop's `cancel`).
final class CancelBox<Request: CancellableRequest>: Sendable {
    private let state = Mutex<(request: Request?, cancelled: Bool)>((nil, false))

    func set(_ r: Request) {
        let cancelled = state.withLock { s -> Bool in
            s.request = r
            return s.cancelled
        }
        if cancelled { r.cancelled.store(true, ordering: .releasing) }
    }

    func cancel(_ cancelRequest: (Request) -> Void) {
        let r = state.withLock { s -> Request? in
            s.cancelled = true
            return s.request
        }
        if let r { cancelRequest(r) }
    }
}

import Synchronization

/// One request on the HTTP/2 client: what to send, its callbacks, and the stream's state.
///
/// Threading contract: created on the caller's thread, then owned by the loop thread; only
/// `cancelled` is touched from other threads. `onComplete` is called exactly once, on the loop
/// thread (or by libcurl's loop when the request was handed over to it); `onData` only for 2xx
/// responses of streams, in order, before `onComplete`; `onFlush` after the `onData` calls of one
/// read turn (every complete frame of one read), so a consumer can hand over what they delivered
/// at once — never after `onComplete`.
final class H2Stream: @unchecked Sendable {
    let request: HTTPRequest
    let target: RequestTarget
    let onData: (@Sendable (UnsafeRawBufferPointer) -> Void)?
    let onComplete: @Sendable (Result<HTTPResponse, TransportFailure>) -> Void
    /// Called once per read turn that delivered data to the stream (see the type's contract).
    let onFlush: (@Sendable () -> Void)?
    let cancelled = Atomic<Bool>(false)
    /// When the request was made: its whole-request timeout counts from here.
    let created = ContinuousClock.now

    // Loop-thread state.
    /// 0 until the stream is opened on a connection.
    var id: UInt32 = 0
    var status = 0
    /// The final response head's fields as decoded (pseudo-header fields included).
    var headerFields: [HPACKField] = []
    var body: [UInt8] = []
    var finalHeadersSeen = false
    var streaming = false
    var received = 0
    /// Octets received and delivered but not yet given back with a WINDOW_UPDATE.
    var unacknowledged = 0
    var sendWindow = 0
    /// How much of the request body has been sent.
    var bodySent = 0
    var endStreamSent = false
    var lastActivity: ContinuousClock.Instant
    /// Reruns after REFUSED_STREAM or GOAWAY (bounded).
    var reruns = 0
    var completed = false
    /// Whether the stream is in its connection's `flushes` (data delivered in the current read turn).
    var flushPending = false
    /// The connection the request was queued on.
    weak var connection: H2Connection?
    /// Set when the request went to libcurl instead (the server did not offer h2).
    var handedOver: Transfer?

    init(request: HTTPRequest, target: RequestTarget, onData: (@Sendable (UnsafeRawBufferPointer) -> Void)?,
         onFlush: (@Sendable () -> Void)? = nil,
         onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) {
        self.request = request
        self.target = target
        self.onData = onData
        self.onFlush = onFlush
        self.onComplete = onComplete
        lastActivity = created
    }

    var bodyCount: Int { request.body?.count ?? 0 }

    /// Back to the state of a request not yet sent (for a rerun on another connection).
    func resetForRerun() {
        id = 0
        status = 0
        headerFields = []
        body = []
        finalHeadersSeen = false
        streaming = false
        received = 0
        unacknowledged = 0
        bodySent = 0
        endStreamSent = false
        reruns += 1
    }

    func finish(_ result: Result<HTTPResponse, TransportFailure>) {
        guard !completed else { return }
        completed = true
        onComplete(result)
    }
}

import CCurl
import Synchronization

/// One in-flight request: the curl easy handle plus its callbacks.
///
/// Threading contract: created and configured by the caller, then owned by the loop thread; only
/// `isCancelled` is touched from other threads. `onComplete` is called exactly once, on the loop
/// thread; `onData` only for 2xx responses, in order, before `onComplete`.
final class Transfer: @unchecked Sendable {
    let request: HTTPRequest
    let onData: (@Sendable (UnsafeRawBufferPointer) -> Void)?
    let onComplete: @Sendable (Result<HTTPResponse, TransportFailure>) -> Void
    let cancelled = Atomic<Bool>(false)

    // Loop-thread state.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var streaming: Bool?
    var lastActivity = ContinuousClock.now
    var completed = false

    init(request: HTTPRequest, onData: (@Sendable (UnsafeRawBufferPointer) -> Void)?,
         onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) {
        self.request = request
        self.onData = onData
        self.onComplete = onComplete
        errorBuffer[0] = 0
    }

    deinit {
        errorBuffer.deallocate()
    }

    /// Called from the write callback with response bytes.
    func receive(_ bytes: UnsafeRawBufferPointer) {
        touch()
        if streaming == nil {
            var code = 0
            if let easy { _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code) }
            status = code
            streaming = onData != nil && (200..<300).contains(code)
        }
        if streaming == true {
            onData?(bytes)
        } else {
            body.append(contentsOf: bytes)
        }
    }

    /// Called from the header callback with one raw header line.
    func header(_ line: UnsafeRawBufferPointer) {
        touch()
        switch HeaderLine.parse(line) {
        case .statusLine: headers = [:]  // a new response (after 100-continue or a redirect) starts
        case .field(let name, let value):
            // Room for an API server's usual head (content type and length, cache control, audit
            // id, the two priority-and-fairness ids, date) without growing the table per field.
            if headers.isEmpty { headers.reserveCapacity(8) }
            headers[name] = value
        case .other: break
        }
    }

    /// Notes activity for the idle limit; only streams with one read the clock.
    private func touch() {
        if request.idleTimeout != nil { lastActivity = .now }
    }

    /// Releases curl resources; the easy handle must already be removed from the multi handle.
    func release() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }

    /// Forgets the easy handle without cleaning it up (the loop reset it for reuse) and frees the
    /// header list, which the reset handle no longer references.
    func releaseKeepingHandle() {
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }

    func finish(_ result: Result<HTTPResponse, TransportFailure>) {
        guard !completed else { return }
        completed = true
        onComplete(result)
    }
}

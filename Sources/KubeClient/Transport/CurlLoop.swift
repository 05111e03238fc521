import CCurl
import Synchronization

/// The single thread that drives every transfer through one `curl_multi` handle.
///
/// Contract:
/// - All requests and watches of all clients sharing a loop run on its one thread; there is no
///   thread per request. HTTP/2 multiplexing is enabled (`CURLPIPE_MULTIPLEX`).
/// - Other threads only enqueue operations (add, cancel) under a mutex and wake the thread with
///   `curl_multi_wakeup`; the thread waits in `curl_multi_poll`.
/// - A cancelled transfer is removed on the next loop turn (milliseconds) and completes with
///   `TransportFailure.cancelled`; every transfer completes exactly once.
/// - The easy handle of a buffered request that completed is reset (`curl_easy_reset`: every
///   option back to its default) and kept for the next buffered request, up to
///   `spareHandleLimit`; streams and failed transfers get fresh handles and are cleaned up.
/// - Waking the thread is owed by whoever enqueues into an empty queue: an operation enqueued
///   behind others rides on their wake-up.
public final class CurlLoop: Sendable {
    /// The process-wide loop used by clients unless they are given another one.
    public static let shared = CurlLoop()

    private enum Operation { case add(Transfer), cancel(Transfer), inspect(@Sendable (CurlLoop) -> Void) }

    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let pending = Mutex<[Operation]>([])
    private let stopping = Atomic<Bool>(false)
    /// Loop-thread-only: transfers by their easy handle.
    private nonisolated(unsafe) let active = ActiveTransfers()
    /// Loop-thread-only: reset easy handles of completed buffered requests, for reuse.
    private nonisolated(unsafe) let spare = SpareHandles()
    /// At most this many reset handles are kept (about the requests a process has in flight).
    static let spareHandleLimit = 8
    /// Loop-thread-only: the sockets of the loop's connections (corked while a turn starts requests).
    private nonisolated(unsafe) let sockets = LoopSockets()

    public init() {
        _ = CurlGlobal.initialized
        guard let m = curl_multi_init() else { fatalError("curl_multi_init failed") }
        multi = m
        _ = ccurl_multi_setopt_long(m, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        LoopThread.start(name: "kube-curl-loop", stackSize: 1 << 20) { [self] in run() }
    }

    /// Stops the thread after it finishes its current turn; pending transfers are cancelled.
    /// (The shared loop is never shut down.)
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
        curl_multi_wakeup(multi)
    }

    /// Executes a request and returns the buffered response; cancelling the task aborts it.
    public func perform(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        let box = CancelBox<Transfer>()
        let result: Result<HTTPResponse, TransportFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
                let t = Transfer(request: request, onData: nil) { c.resume(returning: $0) }
                box.set(t)
                start(t)
            }
        } onCancel: {
            box.cancel { cancel($0) }
        }
        return try result.get()
    }

    /// Starts a streaming request: `onData` receives the bytes of a 2xx response as they arrive,
    /// `onComplete` the end (for non-2xx the buffered error body). Returns a handle to cancel it.
    public func stream(_ request: HTTPRequest, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
                       onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> StreamHandle {
        let t = Transfer(request: request, onData: onData, onComplete: onComplete)
        start(t)
        return StreamHandle { [self] in cancel(t) }
    }

    func start(_ t: Transfer) {
        enqueue(.add(t))
    }

    func cancel(_ t: Transfer) {
        t.cancelled.store(true, ordering: .releasing)
        enqueue(.cancel(t))
    }

    /// The descriptors of the sockets the loop has recorded for its connections, read on its thread
    /// (for tests).
    package func recordedSockets() async -> [Int32] {
        await withCheckedContinuation { (c: CheckedContinuation<[Int32], Never>) in
            enqueue(.inspect { loop in c.resume(returning: loop.sockets.descriptors) })
        }
    }

    private func enqueue(_ op: Operation) {
        let wasEmpty = pending.withLock { ops -> Bool in
            defer { ops.append(op) }
            return ops.isEmpty
        }
        // A non-empty queue was enqueued into by someone who woke the thread (or will, right
        // after their unlock), and the thread drains the whole queue at once.
        if wasEmpty { curl_multi_wakeup(multi) }
    }

    // MARK: - Loop thread

    private func run() {
        var running: Int32 = 0
        while !stopping.load(ordering: .acquiring) {
            let ops = pending.withLock { ops -> [Operation] in
                defer { ops.removeAll(keepingCapacity: true) }
                return ops
            }
            var starts = false
            for op in ops {
                switch op {
                case .add(let t): add(t); starts = true
                case .cancel(let t): remove(t, with: .failure(.cancelled))
                case .inspect(let body): body(self)
                }
            }
            // A turn that starts requests writes them with their sockets corked: one segment for
            // all it writes to a connection (see `LoopSockets`); uncorked before the loop waits.
            let corked = starts ? sockets.cork() : []
            curl_multi_perform(multi, &running)
            if !corked.isEmpty { sockets.uncork(corked) }
            drainCompleted()
            let hasIdleLimits = expireIdle()
            var fds: Int32 = 0
            curl_multi_poll(multi, nil, 0, hasIdleLimits ? 200 : 1000, &fds)
        }
        for t in active.all { remove(t, with: .failure(.cancelled)) }
        for op in pending.withLock({ $0 }) {
            switch op {
            case .add(let t): t.finish(.failure(.cancelled))
            case .inspect(let body): body(self)
            case .cancel: break
            }
        }
        while let h = spare.take() { curl_easy_cleanup(h) }
    }

    private func add(_ t: Transfer) {
        if t.cancelled.load(ordering: .acquiring) {
            t.finish(.failure(.cancelled))
            return
        }
        switch EasyHandle.make(for: t, reusing: t.onData == nil ? spare.take() : nil, sockets: sockets) {
        case .failure(let f):
            t.finish(.failure(f))
        case .success(let h):
            t.easy = h
            t.lastActivity = .now
            active.insert(t, for: h)
            let rc = curl_multi_add_handle(multi, h)
            if rc != CURLM_OK {
                active.remove(h)
                t.release()
                t.finish(.failure(.curl(code: Int(rc.rawValue), message: String(cString: curl_multi_strerror(rc)))))
            }
        }
    }

    private func remove(_ t: Transfer, with result: Result<HTTPResponse, TransportFailure>) {
        guard let h = t.easy, active.remove(h) != nil else { return }
        curl_multi_remove_handle(multi, h)
        if case .success = result, t.onData == nil, spare.count < Self.spareHandleLimit {
            curl_easy_reset(h)  // drops every option, so no pointer into `t` is left in the handle
            t.releaseKeepingHandle()
            spare.put(h)
        } else {
            t.release()
        }
        t.finish(result)
    }

    private func drainCompleted() {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let h = msg.pointee.easy_handle, let t = active.get(h) else { continue }
            let code = msg.pointee.data.result
            if code == CURLE_OK {
                var status = 0
                var version = 0
                _ = ccurl_easy_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
                _ = ccurl_easy_getinfo_long(h, CURLINFO_HTTP_VERSION, &version)
                let response = HTTPResponse(status: status, headers: t.headers, body: t.body,
                                            httpVersion: Self.versionName(version))
                remove(t, with: .success(response))
            } else {
                var message = String(cString: t.errorBuffer)
                if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
                remove(t, with: .failure(.curl(code: Int(code.rawValue), message: message)))
            }
        }
    }

    /// Ends streams that saw no bytes for their idle timeout; returns whether any stream has one.
    private func expireIdle() -> Bool {
        guard active.hasIdleLimits else { return false }
        let now = ContinuousClock.now
        for t in active.idleLimited {
            if let limit = t.request.idleTimeout, now - t.lastActivity >= limit { remove(t, with: .failure(.idle(limit))) }
        }
        return true
    }

    static func versionName(_ v: Int) -> String {
        switch v {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: "1.1"
        }
    }
}

/// A running stream (of `CurlLoop` or `H2Loop`); `cancel()` aborts it within one loop turn.
public struct StreamHandle: Sendable {
    let cancelAction: @Sendable () -> Void

    public func cancel() { cancelAction() }
}

/// The transfers owned by the loop thread (never touched elsewhere); those with an idle limit
/// (streams) also apart, so the per-turn idle check does not walk every request.
final class ActiveTransfers {
    private var byHandle: [UnsafeMutableRawPointer: Transfer] = [:]
    private var withIdleLimit: [UnsafeMutableRawPointer: Transfer] = [:]
    func insert(_ t: Transfer, for h: UnsafeMutableRawPointer) {
        byHandle[h] = t
        if t.request.idleTimeout != nil { withIdleLimit[h] = t }
    }
    @discardableResult func remove(_ h: UnsafeMutableRawPointer) -> Transfer? {
        withIdleLimit.removeValue(forKey: h)
        return byHandle.removeValue(forKey: h)
    }
    func get(_ h: UnsafeMutableRawPointer) -> Transfer? { byHandle[h] }
    var all: [Transfer] { Array(byHandle.values) }
    var hasIdleLimits: Bool { !withIdleLimit.isEmpty }
    /// A copy: the caller may remove transfers while iterating.
    var idleLimited: [Transfer] { Array(withIdleLimit.values) }
}

/// Reset easy handles waiting for reuse (loop thread only).
final class SpareHandles {
    private var handles: [UnsafeMutableRawPointer] = []
    var count: Int { handles.count }
    func take() -> UnsafeMutableRawPointer? { handles.popLast() }
    func put(_ h: UnsafeMutableRawPointer) { handles.append(h) }
}

/// `curl_global_init` exactly once per process.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

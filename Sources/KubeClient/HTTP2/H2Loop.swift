import CEpoll
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// KubeClient's HTTP/2 client for `https` API servers: one thread ("kube-h2-loop") that drives
/// every connection with epoll, our own framing (RFC 9113), HPACK (RFC 7541) and OpenSSL.
///
/// Contract:
/// - Same as `CurlLoop` for callers: `onComplete` exactly once; `onData` only for 2xx streams,
///   in order, before `onComplete`; non-2xx bodies buffered; header names lower-case;
///   `httpVersion` "2"; cancelling (task or `StreamHandle`) completes with `.cancelled` and
///   sends RST_STREAM(CANCEL); whole-request, connect and stream idle timeouts.
/// - Other threads only enqueue operations under a mutex and, when the queue was empty, wake the
///   thread through an eventfd; the thread waits in `epoll_wait`.
/// - One connection per (host, port, TLS settings, server name) with every request multiplexed;
///   a server whose TLS handshake does not select `h2` gets its requests sent through `curl`
///   (remembered for the life of the loop).
/// - Failures are `TransportFailure.curl` with libcurl-equivalent codes (`H2Failures`).
public final class H2Loop: Sendable {
    /// The process-wide loop (its thread starts when first used).
    public static let shared = H2Loop()

    enum Operation {
        case add(H2Stream)
        case cancel(H2Stream)
        case resolved(UInt64, Result<[SocketAddress], TransportFailure>)
        case inspect(@Sendable (H2Engine) -> Void)
    }

    /// Operations for the thread; `closed` once it has drained them for the last time.
    private struct Pending {
        var ops: [Operation] = []
        var closed = false
    }
    private let pending = Mutex(Pending())
    private let stopping = Atomic<Bool>(false)
    private let wakeFD: Int32

    /// `curl` receives the requests of servers without h2.
    public convenience init(curl: CurlLoop = .shared) {
        self.init(curl: curl, health: .standard)
    }

    /// `health`: when connections are checked with PING (tests shorten it).
    init(curl: CurlLoop, health: H2Engine.HealthCheck) {
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard wakeFD >= 0, epollFD >= 0 else { fatalError("eventfd/epoll_create1 failed: \(errno)") }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLET.rawValue
        event.data.u64 = 0
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
        LoopThread.start(name: "kube-h2-loop", stackSize: 1 << 20) { [self] in
            run(H2Engine(epollFD: epollFD, curl: curl, health: health) { [self] op in enqueue(op) }, epollFD)
        }
    }

    /// Stops the thread after its current turn; open and queued requests complete as cancelled,
    /// and so does every request made afterwards. (The shared loop is never shut down.)
    public func shutdown() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pending.withLock { p in if !p.closed { Self.wake(wakeFD) } }
    }

    /// Executes a request to an `https` URL and returns the buffered response; cancelling the
    /// task aborts it.
    func perform(_ request: HTTPRequest, _ target: RequestTarget) async throws(TransportFailure) -> HTTPResponse {
        let box = CancelBox<H2Stream>()
        let result: Result<HTTPResponse, TransportFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
                let s = H2Stream(request: request, target: target, onData: nil) { c.resume(returning: $0) }
                box.set(s)
                enqueue(.add(s))
            }
        } onCancel: {
            box.cancel { cancel($0) }
        }
        return try result.get()
    }

    /// Starts a streaming request (see `CurlLoop.stream`).
    func stream(_ request: HTTPRequest, _ target: RequestTarget, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
                onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> StreamHandle {
        let s = H2Stream(request: request, target: target, onData: onData, onComplete: onComplete)
        enqueue(.add(s))
        return StreamHandle { [self] in cancel(s) }
    }

    func cancel(_ s: H2Stream) {
        s.cancelled.store(true, ordering: .releasing)
        enqueue(.cancel(s))
    }

    /// The number of connections the loop holds (open or being set up), read on its thread (tests).
    package func connectionCount() async -> Int {
        await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in
            enqueue(.inspect { engine in c.resume(returning: engine.connectionCount) })
        }
    }

    /// Whoever enqueues into an empty queue wakes the thread; the thread drains the whole queue.
    /// The number of streams open on the loop's connections, read on its thread (tests).
    package func openStreamCount() async -> Int {
        await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in
            enqueue(.inspect { engine in c.resume(returning: engine.openStreamCount) })
        }
    }

    /// Whoever enqueues into an empty queue wakes the thread (under the lock, so the descriptor
    /// cannot be closed meanwhile); after the thread has ended, a new request completes at once
    /// as cancelled.
    private func enqueue(_ op: Operation) {
        let accepted = pending.withLock { p -> Bool in
            guard !p.closed else { return false }
            if p.ops.isEmpty { Self.wake(wakeFD) }
            p.ops.append(op)
            return true
        }
        guard !accepted else { return }
        switch op {
        case .add(let s): s.finish(.failure(.cancelled))
        case .cancel, .resolved, .inspect: break
        }
    }

    private static func wake(_ fd: Int32) {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    // MARK: - Loop thread

    private func run(_ engine: H2Engine, _ epollFD: Int32) {
        Self.blockSIGPIPE()
        let capacity = 64
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !stopping.load(ordering: .acquiring) {
            let n = epoll_wait(epollFD, events, Int32(capacity), engine.waitMilliseconds())
            engine.tick()
            if n > 0 {
                for i in 0..<Int(n) where events[i].data.u64 != 0 {
                    engine.ready(token: events[i].data.u64, events: events[i].events)
                }
            }
            let ops = pending.withLock { p -> [Operation] in
                var taken: [Operation] = []
                swap(&taken, &p.ops)
                return taken
            }
            for op in ops {
                switch op {
                case .add(let s): engine.route(s)
                case .cancel(let s): engine.cancel(s)
                case .resolved(let token, let result): engine.resolved(token, result)
                case .inspect(let body): body(engine)
                }
            }
            engine.sweep()
            engine.flushDirty()
        }
        engine.shutdownAll()
        let left = pending.withLock { p -> [Operation] in
            p.closed = true
            close(wakeFD)
            return p.ops
        }
        close(epollFD)
        for op in left {
            switch op {
            case .add(let s): s.finish(.failure(.cancelled))
            case .inspect(let body): body(engine)
            case .cancel, .resolved: break
            }
        }
    }

    /// OpenSSL writes to the socket with `write()`, which raises SIGPIPE on a connection the
    /// server has reset — by default fatal to the process. Blocked on this thread (the only one
    /// that writes to these sockets), the write just fails with EPIPE; the process's own
    /// disposition is left alone.
    private static func blockSIGPIPE() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}

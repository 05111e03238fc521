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
/// - Other threads only append operations under a mutex and, after releasing it, wake the thread
///   through an eventfd only when it is asleep (`sleeping`, see `enqueue`); the thread waits in
///   `epoll_wait`.
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
        /// A task's job (the loop as a `TaskExecutor`, see H2Loop+TaskExecutor.swift).
        case job(UnownedJob)
    }

    /// Operations for the thread; `closed` once it has drained them for the last time.
    private struct Pending {
        var ops: [Operation] = []
        var closed = false
    }
    private let pending = Mutex(Pending())
    private let stopping = Atomic<Bool>(false)
    /// Set by the thread, in the same critical section in which it found the queue empty, before
    /// it waits; cleared when it wakes, or by the one enqueuer that writes the eventfd. Set at
    /// first: the thread's first `epoll_wait` comes before its first look at the queue.
    private let sleeping = Atomic<Bool>(true)
    /// Open for the object's whole life (closed in `deinit`), so that an enqueuer may write it
    /// outside the lock at any time, even while or after the thread ends.
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
        // 8 MiB, as a pool thread's: the operator's controllers run here too (H2Loop+TaskExecutor);
        // virtual memory, only the pages touched are resident.
        LoopThread.start(name: "kube-h2-loop", stackSize: 8 << 20) { [self] in
            run(H2Engine(epollFD: epollFD, curl: curl, health: health) { [self] op in enqueue(op) }, epollFD)
        }
    }

    /// The thread holds the loop until it has ended, so no writer is left.
    deinit {
        close(wakeFD)
    }

    /// Stops the thread after its current turn; open and queued requests complete as cancelled,
    /// and so does every request made afterwards. (The shared loop is never shut down.)
    public func shutdown() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Self.wake(wakeFD)
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
                onFlush: (@Sendable () -> Void)? = nil,
                onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> StreamHandle {
        let s = H2Stream(request: request, target: target, onData: onData, onFlush: onFlush, onComplete: onComplete)
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

    /// The number of streams open on the loop's connections, read on its thread (tests).
    package func openStreamCount() async -> Int {
        await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in
            enqueue(.inspect { engine in c.resume(returning: engine.openStreamCount) })
        }
    }

    /// Appends `op` for the thread; after the thread has ended, a request completes at once as
    /// cancelled.
    ///
    /// The wake-up is the "sleeping flag" handshake: the thread sets `sleeping` inside the critical
    /// section in which it finds the queue empty, and only then waits; an enqueuer appends inside
    /// its own critical section and, after leaving it, writes the eventfd only if it is the one
    /// that clears `sleeping`. Either the enqueuer's section comes first — the thread's drain then
    /// sees the operation — or the thread's does, and then the enqueuer (ordered after it by the
    /// mutex) sees `sleeping` set, or another enqueuer cleared it and wrote the eventfd. No wake-up
    /// is lost; at most one eventfd write per sleep (none while the thread is busy with a turn, but
    /// for a spurious one just as it wakes); the system call is made outside the lock, so the
    /// thread never waits for it.
    func enqueue(_ op: Operation) {
        let accepted = pending.withLock { p -> Bool in
            guard !p.closed else { return false }
            p.ops.append(op)
            return true
        }
        guard accepted else {
            switch op {
            case .add(let s): s.finish(.failure(.cancelled))
            case .job(let j): Self.runElsewhere(j)
            case .cancel, .resolved, .inspect: break
            }
            return
        }
        if sleeping.load(ordering: .acquiring) && sleeping.exchange(false, ordering: .acquiringAndReleasing) {
            Self.wake(wakeFD)
        }
    }

    /// Wakes the thread whatever its flag says (tests: the wake-up tests' rescue, which turns a
    /// lost wake-up into a failure instead of a hang). Harmless at any time: a turn with nothing
    /// to do.
    package func wakeUnconditionally() {
        Self.wake(wakeFD)
    }

    /// Batches taken from the queue per turn at most (see `run`).
    static let maxDrains = 8

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
        // Swapped with the queue, so that neither side allocates an array per batch.
        var batch: [Operation] = []
        // Operations left queued by the last turn's capped drain: the next wait must not block.
        var more = false
        while !stopping.load(ordering: .acquiring) {
            let n = epoll_wait(epollFD, events, Int32(capacity), more ? 0 : engine.waitMilliseconds())
            sleeping.store(false, ordering: .relaxed)
            engine.tick()
            if n > 0 {
                for i in 0..<Int(n) where events[i].data.u64 != 0 {
                    engine.ready(token: events[i].data.u64, events: events[i].events)
                }
            }
            // Drains until a look finds the queue empty, which sets `sleeping` (see `enqueue`):
            // what arrives from then on writes the eventfd, so the next `epoll_wait` returns.
            // At most `maxDrains` batches per turn, so that operations arriving as fast as they
            // are handled cannot starve timers, sends, reads and `stopping`; a capped drain leaves
            // `sleeping` false (enqueuers need not wake a thread that will look anyway) and makes
            // the next `epoll_wait` return at once.
            more = false
            for drain in 0... {
                if drain == Self.maxDrains { more = true; break }
                pending.withLock { p in
                    if p.ops.isEmpty {
                        sleeping.store(true, ordering: .relaxed)
                    } else {
                        swap(&batch, &p.ops)
                    }
                }
                if batch.isEmpty { break }
                for op in batch {
                    switch op {
                    case .add(let s): engine.route(s)
                    case .cancel(let s): engine.cancel(s)
                    case .resolved(let token, let result): engine.resolved(token, result)
                    case .inspect(let body): body(engine)
                    case .job(let j): j.runSynchronously(on: asUnownedTaskExecutor())
                    }
                }
                batch.removeAll(keepingCapacity: true)
                // Jobs may have run for a while: what comes next (streams they opened, the sweep)
                // stamps and measures time from now, not from the start of the turn.
                engine.tick()
            }
            engine.sweep()
            engine.flushDirty()
        }
        engine.shutdownAll()
        let left = pending.withLock { p -> [Operation] in
            p.closed = true
            return p.ops
        }
        close(epollFD)
        for op in left {
            switch op {
            case .add(let s): s.finish(.failure(.cancelled))
            case .inspect(let body): body(engine)
            case .job(let j): Self.runElsewhere(j)
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

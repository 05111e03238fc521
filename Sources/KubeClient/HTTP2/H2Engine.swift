import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The loop thread's state of `H2Loop`: the epoll set, the connections, TLS contexts, the
/// servers that fell back to libcurl, and timers.
///
/// Contract (loop thread only):
/// - Connections per `ConnectionKey` as Go's transport (`StrictMaxConcurrentStreams` false): a
///   request goes to the first connection with room under the server's
///   SETTINGS_MAX_CONCURRENT_STREAMS (queued there while it is set up), and a new connection is
///   opened only when every one is full — so streams that never end (watches) cannot starve
///   requests. A retired connection (GOAWAY) keeps serving its streams until they end.
/// - Every connection is in the epoll set under a token of its own (never a descriptor number,
///   which the kernel reuses); the wake-up eventfd has token 0, edge-triggered, never read.
/// - Timers are swept every `sweepInterval` while anything has a deadline: connect timeouts,
///   whole-request timeouts (from the request's creation) and stream idle timeouts (from the
///   stream's last frame). Nothing else walks the streams.
/// - A connection's output is flushed once per turn, after every event and operation of the turn.
final class H2Engine {
    static let sweepInterval = Duration.milliseconds(100)

    /// When a connection is checked with PING (client-go's HTTP/2 health check): after
    /// `readIdle` without a byte from the server while streams are open (or right after a request
    /// timed out on it), and failed when the ACK has not come `pingTimeout` later.
    struct HealthCheck: Sendable {
        var readIdle: Duration
        var pingTimeout: Duration
        static let standard = HealthCheck(readIdle: .seconds(30), pingTimeout: .seconds(15))
    }
    let health: HealthCheck

    let epollFD: Int32
    let curl: CurlLoop
    /// Enqueues an operation for the next turn (used by resolver threads).
    let post: @Sendable (H2Loop.Operation) -> Void
    private(set) var now = ContinuousClock.now
    private var current: [ConnectionKey: [H2Connection]] = [:]
    private var byToken: [UInt64: H2Connection] = [:]
    private var nextToken: UInt64 = 1
    private var contexts: [TLSContext.Key: TLSContext] = [:]
    /// Servers whose TLS handshake did not select `h2`: their requests go to libcurl.
    private var withoutH2: Set<ConnectionKey> = []
    private var dirty: [H2Connection] = []
    private var lastSweep = ContinuousClock.now
    private var stopping = false
    private var lastKey: ConnectionKey?
    private weak var lastConnection: H2Connection?

    init(epollFD: Int32, curl: CurlLoop, health: HealthCheck = .standard,
         post: @escaping @Sendable (H2Loop.Operation) -> Void) {
        self.epollFD = epollFD
        self.curl = curl
        self.health = health
        self.post = post
    }

    var connectionCount: Int { byToken.count }
    var openStreamCount: Int { byToken.values.reduce(0) { $0 + $1.streams.count } }

    func tick() { now = .now }

    // MARK: - Requests

    /// Sends `s` on its server's connection (opening one if needed), or to libcurl for a server
    /// without h2.
    func route(_ s: H2Stream) {
        if s.cancelled.load(ordering: .acquiring) {
            s.finish(.failure(.cancelled))
            return
        }
        let key = ConnectionKey(s.target, s.request.tls)
        let c: H2Connection
        if let last = lastConnection, last.hasRoom, lastKey == key {
            c = last
        } else if let existing = current[key]?.first(where: { $0.hasRoom }) {
            c = existing
        } else {
            if withoutH2.contains(key) {
                handToCurl(s)
                return
            }
            c = open(key, connectTimeout: s.request.connectTimeout)
        }
        lastKey = key
        lastConnection = c
        c.add(s)
    }

    func cancel(_ s: H2Stream) {
        if let t = s.handedOver {
            curl.cancel(t)
            return
        }
        guard !s.completed else { return }
        s.connection?.reset(s)
        s.finish(.failure(.cancelled))
    }

    /// Requests to send again on the current connection of their server.
    func rerun(_ streams: [H2Stream]) {
        for s in streams where !s.completed {
            if stopping { s.finish(.failure(.cancelled)) } else { route(s) }
        }
    }

    private func handToCurl(_ s: H2Stream) {
        let t = Transfer(request: s.request, onData: KubeTransport.flushingEach(s.onData, s.onFlush), onComplete: s.onComplete)
        s.handedOver = t
        curl.start(t)
        if s.cancelled.load(ordering: .acquiring) { curl.cancel(t) }
    }

    // MARK: - Connections

    private func open(_ key: ConnectionKey, connectTimeout: Duration) -> H2Connection {
        let c = H2Connection(key: key, token: nextToken, engine: self, connectTimeout: connectTimeout, now: now)
        nextToken += 1
        current[key, default: []].append(c)
        byToken[c.token] = c
        if IPLiteral.isIP(key.host) {
            // Through the queue, not here: a connect that fails at once (no route, no descriptor
            // left) must find the request already queued on the connection, to fail it.
            post(.resolved(c.token, SocketAddress.resolve(key.host, port: key.port, numericOnly: true)))
        } else {
            let token = c.token
            let post = post
            LoopThread.start(name: "kube-h2-resolve", stackSize: 256 << 10) {
                post(.resolved(token, SocketAddress.resolve(key.host, port: key.port)))
            }
        }
        return c
    }

    func resolved(_ token: UInt64, _ result: Result<[SocketAddress], TransportFailure>) {
        guard let c = byToken[token] else { return }
        resolved(c, result)
    }

    private func resolved(_ c: H2Connection, _ result: Result<[SocketAddress], TransportFailure>) {
        guard c.state == .resolving else { return }
        switch result {
        case .success(let addresses):
            c.addresses = addresses
            c.connectNext()
        case .failure(let f):
            c.fail(f)
        }
    }

    func tlsContext(for key: TLSContext.Key) -> Result<TLSContext, TransportFailure> {
        if let c = contexts[key] { return .success(c) }
        let made = TLSContext.make(key)
        if case .success(let c) = made { contexts[key] = c }
        return made
    }

    /// The server did not select h2: remembered, and the connection's requests go to libcurl.
    func handOver(_ c: H2Connection) {
        withoutH2.insert(c.key)
        let all = c.takeAll()
        c.shutDown()
        for s in all where !s.completed { handToCurl(s) }
    }

    /// No new streams on `c`.
    func retire(_ c: H2Connection) {
        c.retired = true
        forget(c)
    }

    /// `c` closed: it leaves every table.
    func removed(_ c: H2Connection) {
        byToken.removeValue(forKey: c.token)
        forget(c)
    }

    private func forget(_ c: H2Connection) {
        guard var list = current[c.key], let i = list.firstIndex(where: { $0 === c }) else { return }
        list.remove(at: i)
        current[c.key] = list.isEmpty ? nil : list
    }

    // MARK: - Events and output

    func register(_ c: H2Connection, writable: Bool) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = c.token
        c.pollingWritable = writable
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, c.fd, &event)
    }

    func unregister(_ c: H2Connection) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, c.fd, &event)
    }

    func setWritableInterest(_ c: H2Connection, _ writable: Bool) {
        guard c.pollingWritable != writable, c.fd >= 0 else { return }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = c.token
        c.pollingWritable = writable
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, c.fd, &event)
    }

    /// Handles one epoll event.
    func ready(token: UInt64, events: UInt32) {
        guard let c = byToken[token] else { return }
        switch c.state {
        case .connecting, .handshaking:
            c.setUpReady()
        case .open:
            if events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { c.readAvailable() }
            if events & EPOLLOUT.rawValue != 0 && c.state == .open { markDirty(c) }
        case .resolving, .closed:
            break
        }
    }

    func markDirty(_ c: H2Connection) {
        guard !c.isDirty else { return }
        c.isDirty = true
        dirty.append(c)
    }

    /// Writes every connection's output of this turn; closes retired connections left idle.
    func flushDirty() {
        while !dirty.isEmpty {
            let list = dirty
            dirty.removeAll(keepingCapacity: true)
            for c in list {
                c.isDirty = false
                c.flush()
                if c.retired && c.isIdle && c.state == .open && c.pendingWrite == nil { c.shutDown() }
            }
        }
    }

    // MARK: - Timers

    /// The epoll timeout in milliseconds: until the next sweep while anything has a deadline, else -1.
    func waitMilliseconds() -> Int32 {
        guard byToken.values.contains(where: { !$0.isIdle || $0.state != .open || $0.pingSentAt != nil }) else { return -1 }
        let left = lastSweep + Self.sweepInterval - now
        return left <= .zero ? 0 : Int32(left.milliseconds)
    }

    /// Expires what is due, at most once per `sweepInterval`: set-up and SETTINGS deadlines,
    /// queued and open streams' timeouts, and the PING health check.
    func sweep() {
        guard now - lastSweep >= Self.sweepInterval else { return }
        lastSweep = now
        for c in Array(byToken.values) {
            if c.state != .open && c.state != .closed {
                if now >= c.connectDeadline { c.fail(H2Failures.connectTimeout(c.key.host, c.key.port, c.connectTimeout)) }
                else if c.state == .connecting, let d = c.addressDeadline, now >= d { c.abandonAddress() }
                else { expireWaiting(c) }
                continue
            }
            if c.state == .open && !c.settingsReceived && now >= c.connectDeadline {
                c.fail(H2Failures.noSettings(c.key.host, c.key.port, c.connectTimeout))
                continue
            }
            if let sent = c.pingSentAt, now - sent >= health.pingTimeout {
                c.fail(H2Failures.pingTimeout(c.key.host, c.key.port, health.pingTimeout))
                continue
            }
            expireWaiting(c)
            var due: [(H2Stream, TransportFailure)] = []
            for s in c.streams.values {
                if let limit = s.request.timeout, now - s.created >= limit {
                    due.append((s, H2Failures.requestTimeout(limit, received: s.received)))
                } else if let idle = s.request.idleTimeout, now - s.lastActivity >= idle {
                    due.append((s, .idle(idle)))
                }
            }
            for (s, f) in due {
                c.reset(s)
                s.finish(.failure(f))
            }
            // A stream that timed out may mean a dead connection: check it now rather than
            // sending every later request to it.
            if c.state == .open, c.pingSentAt == nil, !due.isEmpty || (!c.isIdle && now - c.lastRead >= health.readIdle) {
                c.sendPing()
            }
        }
    }

    /// Queued requests whose request timeout, or (for streams) idle timeout counted from their
    /// creation, has passed fail; completed entries leave the queue so they take no room.
    private func expireWaiting(_ c: H2Connection) {
        var expired = false
        for s in c.waiting[c.waitingHead...] where !s.completed {
            if let limit = s.request.timeout, now - s.created >= limit {
                s.finish(.failure(H2Failures.requestTimeout(limit, received: 0)))
            } else if let idle = s.request.idleTimeout, now - s.created >= idle {
                s.finish(.failure(.idle(idle)))
            }
            expired = expired || s.completed
        }
        if expired { c.dropCompletedWaiting() }
    }

    /// Stops: every stream and request fails as cancelled.
    func shutdownAll() {
        stopping = true
        for c in Array(byToken.values) { c.fail(.cancelled) }
    }
}

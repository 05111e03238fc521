#if canImport(Glibc)
import Glibc
#endif

/// One TLS connection speaking HTTP/2 to a server, with all its streams multiplexed.
///
/// Contract (loop thread only; driven by `H2Engine`):
/// - Set-up is resolve → non-blocking connect (each resolved address in turn) → TLS handshake;
///   the whole of it is bounded by the connect timeout of the request that opened it. A handshake
///   that does not select ALPN `h2` hands the connection's requests to libcurl (`H2Engine.handOver`).
/// - Requests wait in `waiting` until the connection is open, the server's SETTINGS have arrived
///   and fewer than its SETTINGS_MAX_CONCURRENT_STREAMS streams are open; then they get the next
///   odd stream id.
/// - Every frame a turn produces is appended to `out`; `flush()` writes it with one `SSL_write`
///   per TLS record (one record for a turn's usual output) and keeps what the socket did not take
///   for the next writable event, retried with the same length as `SSL_write` requires.
/// - A readable event drains `SSL_read` into one 64 KiB buffer and handles every complete frame
///   (`H2Connection+Receive`); a short read with nothing pending in OpenSSL ends the drain
///   without the extra `read` that would return EAGAIN.
/// - `fail` ends the connection: open streams complete with the failure, requests never sent
///   are rerun on a new connection when the connection had worked (else they fail too).
final class H2Connection {
    enum State { case resolving, connecting, handshaking, open, closed }

    let key: ConnectionKey
    /// The epoll token (never reused, unlike descriptors).
    let token: UInt64
    unowned let engine: H2Engine
    var state: State = .resolving
    var fd: Int32 = -1
    var tls: TLSSession?
    var addresses: [SocketAddress] = []
    var lastConnectError = "no address"
    /// When the address being connected to is given up for the next one (each address gets an
    /// equal share of what is left of the connect timeout, as Go's dialer); nil for the last.
    var addressDeadline: ContinuousClock.Instant?
    let connectTimeout: Duration
    let connectDeadline: ContinuousClock.Instant

    // Output.
    var out: [UInt8] = []
    var outSent = 0
    /// The length of a write `SSL_write` could not complete (it must be retried with it).
    var pendingWrite: Int?
    var pollingWritable = false

    // Input.
    let input: UnsafeMutableRawBufferPointer
    var inputCount = 0
    static let inputSize = 64 << 10

    // HTTP/2 state.
    var peer = PeerSettings()
    /// Whether the server's preface (its first SETTINGS) has arrived.
    var settingsReceived = false
    var sendWindow = ReceiveWindow.initial
    var connectionUnacknowledged = 0
    var nextStreamID: UInt32 = 1
    var streams: [UInt32: H2Stream] = [:]
    var waiting: [H2Stream] = []
    var waitingHead = 0
    /// Streams whose request body waits for send window.
    var blocked: [H2Stream] = []
    var decoder = HPACKDecoder()
    /// Encodes request heads, a client's constant header lines once.
    var requestEncoder = HPACKRequestEncoder()
    var headerBlock: [UInt8] = []
    var headerBlockStream: UInt32 = 0
    var headerBlockEndStream = false
    /// Set by GOAWAY: (error code, last stream id the server processes).
    var goAway: (code: H2ErrorCode, last: UInt32)?
    var scratch: [UInt8] = []
    /// Streams given data by the frames being handled, for their `onFlush` once all are handled.
    var flushes: [H2Stream] = []
    /// When the last bytes came from the server (the health check's clock).
    var lastRead: ContinuousClock.Instant
    /// When our unanswered PING left, if one is out.
    var pingSentAt: ContinuousClock.Instant?
    /// Why the connection ended, for a request that still finds it (see `add`).
    var endedWith: TransportFailure?

    init(key: ConnectionKey, token: UInt64, engine: H2Engine, connectTimeout: Duration, now: ContinuousClock.Instant) {
        self.key = key
        self.token = token
        self.engine = engine
        self.connectTimeout = connectTimeout
        connectDeadline = now + connectTimeout
        lastRead = now
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.inputSize, alignment: 16)
    }

    deinit {
        input.deallocate()
    }

    /// Streams open or waiting (the connection is idle without them).
    var isIdle: Bool { streams.isEmpty && waitingHead == waiting.count }

    /// Whether a new request may be queued here: not retired or closed, and fewer streams open
    /// and waiting than the server allows at once.
    var hasRoom: Bool {
        !retired && state != .closed && streams.count + (waiting.count - waitingHead) < peer.maxConcurrentStreams
    }

    /// Removes completed (cancelled, timed-out) requests from the queue.
    func dropCompletedWaiting() {
        waiting = waiting[waitingHead...].filter { !$0.completed }
        waitingHead = 0
    }

    /// Sends a PING (the health check); its ACK clears `pingSentAt`.
    func sendPing() {
        pingSentAt = engine.now
        FrameWriter.ping(into: &out)
        engine.markDirty(self)
    }

    /// Set when the connection takes no new streams (GOAWAY, stream ids used up); it closes once
    /// its last stream has ended.
    var retired = false
    /// Whether the engine has it in this turn's list of connections to flush.
    var isDirty = false

    // MARK: - Set-up

    /// Starts connecting to the next address; fails the connection when none is left.
    func connectNext() {
        while !addresses.isEmpty {
            let address = addresses.removeFirst()
            switch TCPSocket.connect(address) {
            case .success(let fd):
                self.fd = fd
                state = .connecting
                addressDeadline = addresses.isEmpty ? nil : engine.now + (connectDeadline - engine.now) / (addresses.count + 1)
                engine.register(self, writable: true)
                return
            case .failure(let error):
                lastConnectError = error.reason
            }
        }
        fail(H2Failures.connect(key.host, key.port, lastConnectError))
    }

    /// The address being connected to did not answer within its share: on to the next one.
    func abandonAddress() {
        guard state == .connecting, fd >= 0 else { return }
        lastConnectError = "Connection timed out"
        engine.unregister(self)
        close(fd)
        fd = -1
        connectNext()
    }

    /// The socket became ready while connecting or handshaking.
    func setUpReady() {
        if state == .connecting {
            if let error = TCPSocket.connectError(fd) {
                lastConnectError = error
                engine.unregister(self)
                close(fd)
                fd = -1
                connectNext()
                return
            }
            switch engine.tlsContext(for: key.tls) {
            case .failure(let f): fail(f); return
            case .success(let context):
                switch TLSSession.make(context: context, fd: fd, host: key.host, serverName: key.serverName,
                                       verify: !key.tls.insecure) {
                case .failure(let f): fail(f); return
                case .success(let session):
                    tls = session
                    state = .handshaking
                }
            }
        }
        guard let tls else { return }
        switch tls.handshake() {
        case .failure(let f): fail(f)
        case .success(.wantRead): engine.setWritableInterest(self, false)
        case .success(.wantWrite): engine.setWritableInterest(self, true)
        case .success(.done):
            guard tls.alpn == "h2" else {
                engine.handOver(self)
                return
            }
            state = .open
            engine.setWritableInterest(self, false)
            out.append(contentsOf: FrameWriter.preface)
            FrameWriter.settings([(SettingID.enablePush, 0), (SettingID.maxConcurrentStreams, 1000),
                                  (SettingID.initialWindowSize, UInt32(ReceiveWindow.stream))], into: &out)
            FrameWriter.windowUpdate(ReceiveWindow.connection - ReceiveWindow.initial, stream: 0, into: &out)
            startWaiting()
            engine.markDirty(self)
            // Read-ahead may already hold the server's first frames.
            readAvailable()
        }
    }

    // MARK: - I/O

    /// Drains the TLS connection and handles every complete frame.
    func readAvailable() {
        guard state == .open, let tls else { return }
        while state == .open {
            if Self.inputSize - inputCount < FrameHeader.size + FrameHeader.defaultMaxPayload { parseInput() }
            guard state == .open else { return }
            let room = Self.inputSize - inputCount
            switch tls.read(into: input.baseAddress! + inputCount, count: room) {
            case .bytes(let n):
                inputCount += n
                lastRead = engine.now
                // A short read with nothing left inside OpenSSL drained what had arrived: the
                // `read` that would only say EAGAIN is skipped (epoll is level-triggered, so
                // bytes still in the socket wake the loop again at once).
                if n < room && !tls.hasPending {
                    parseInput()
                    return
                }
            case .wantRead:
                parseInput()
                return
            case .wantWrite:
                parseInput()
                engine.setWritableInterest(self, true)
                return
            case .closed(let reset):
                parseInput()
                lost(reset ? H2Failures.connectionLost(key.host, key.port, reset: true) : nil)
                return
            case .failed(let reason):
                parseInput()
                lost(H2Failures.receive(reason))
                return
            }
        }
    }

    /// Handles the complete frames in the input buffer and keeps the partial one.
    private func parseInput() {
        guard inputCount > 0, state == .open else { return }
        let consumed: Int
        do throws(H2ConnectionError) {
            consumed = try FrameReader.frames(in: UnsafeRawBufferPointer(rebasing: input[..<inputCount]),
                                              maxFrameSize: FrameHeader.defaultMaxPayload) { (frame) throws(H2ConnectionError) in
                try handle(frame)
            }
        } catch {
            protocolFailure(error)
            flushStreams()
            return
        }
        if consumed > 0 {
            let rest = inputCount - consumed
            if rest > 0 { input.baseAddress!.copyMemory(from: input.baseAddress! + consumed, byteCount: rest) }
            inputCount = rest
        }
        flushStreams()
    }

    /// The end of a batch of frames: every stream they gave data to, and that has not completed
    /// meanwhile, gets its `onFlush` (once, in the order the data arrived).
    private func flushStreams() {
        guard !flushes.isEmpty else { return }
        for s in flushes {
            s.flushPending = false
            if !s.completed { s.onFlush?() }
        }
        flushes.removeAll(keepingCapacity: true)
    }

    /// Writes `out`; bytes the socket does not take wait for the next writable event.
    func flush() {
        guard state == .open, let tls else { return }
        while outSent < out.count {
            let length = pendingWrite ?? (out.count - outSent)
            let result = out.withUnsafeBytes { tls.write($0.baseAddress! + outSent, count: length) }
            switch result {
            case .bytes(let n):
                outSent += n
                pendingWrite = nil
            case .wantWrite, .wantRead:
                pendingWrite = length
                engine.setWritableInterest(self, true)
                return
            case .closed(let reset):
                lost(H2Failures.connectionLost(key.host, key.port, reset: reset))
                return
            case .failed(let reason):
                lost(H2Failures.send(reason))
                return
            }
        }
        if out.capacity > 1 << 20 { out = [] } else { out.removeAll(keepingCapacity: true) }
        outSent = 0
        if pollingWritable { engine.setWritableInterest(self, false) }
    }

    // MARK: - Ending

    /// The connection broke after it was open: with GOAWAY seen, the streams it covered fail
    /// with the GOAWAY; otherwise with `failure` (nil: closed by the server).
    func lost(_ failure: TransportFailure?) {
        let f = goAway.map { H2Failures.goAway($0.code, lastStream: $0.last) }
            ?? failure ?? H2Failures.connectionLost(key.host, key.port, reset: false)
        fail(f)
    }

    /// A protocol violation by the server: GOAWAY with the code, then the connection ends.
    func protocolFailure(_ error: H2ConnectionError) {
        FrameWriter.goAway(lastStream: 0, error.code, into: &out)
        flush()
        fail(H2Failures.protocolError(error))
    }

    /// Ends the connection: open streams complete with `failure`; unsent requests are rerun on a
    /// new connection when this one had worked (the server's SETTINGS arrived) and they were not
    /// rerun three times already — else they fail as well (a server that accepts the handshake
    /// and then drops the connection, e.g. for a missing client certificate, is not retried forever).
    func fail(_ failure: TransportFailure) {
        guard state != .closed else { return }
        let worked = state == .open && settingsReceived
        endedWith = failure
        shutDown()
        let open = streams.values.sorted { $0.id < $1.id }
        streams.removeAll()
        let unsent = Array(waiting[waitingHead...])
        waiting.removeAll()
        waitingHead = 0
        blocked.removeAll()
        for s in open { s.finish(.failure(failure)) }
        for s in unsent where !s.completed {
            if worked && s.reruns < 3 {
                s.reruns += 1
                engine.rerun([s])
            } else {
                s.finish(.failure(failure))
            }
        }
    }

    /// Closes the socket and TLS and leaves the engine's tables; streams are the caller's.
    func shutDown() {
        state = .closed
        if fd >= 0 {
            engine.unregister(self)
            tls?.close()
            close(fd)
            fd = -1
        }
        tls = nil
        engine.removed(self)
    }

    /// Requests not yet sent, for handing over to another transport; leaves the connection empty.
    func takeAll() -> [H2Stream] {
        let all = streams.values.sorted { $0.id < $1.id } + waiting[waitingHead...]
        streams.removeAll()
        waiting.removeAll()
        waitingHead = 0
        blocked.removeAll()
        return all
    }
}

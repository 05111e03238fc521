/// Opening streams and sending request heads and bodies within the peer's flow-control windows.
extension H2Connection {
    /// Queues a request; it is sent once the connection is open and has room for another stream.
    func add(_ s: H2Stream) {
        guard state != .closed else {
            // Only reachable if a connection ends while a request is routed to it.
            s.finish(.failure(endedWith ?? H2Failures.connect(key.host, key.port, lastConnectError)))
            return
        }
        s.connection = self
        waiting.append(s)
        if state == .open { startWaiting() }
    }

    /// Opens waiting streams while the peer's concurrency limit allows (known once the server's
    /// first SETTINGS frame, its connection preface, has arrived).
    func startWaiting() {
        while waitingHead < waiting.count && streams.count < peer.maxConcurrentStreams && state == .open && settingsReceived {
            guard !retired, nextStreamID < 0x7fff_fff0 else {
                // No new streams on this connection: the rest go to a new one.
                engine.retire(self)
                let rest = Array(waiting[waitingHead...])
                waiting.removeAll()
                waitingHead = 0
                engine.rerun(rest)
                return
            }
            let s = waiting[waitingHead]
            waitingHead += 1
            if !s.completed { open(s) }
        }
        if waitingHead == waiting.count && waitingHead > 0 {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
    }

    /// Sends the request's HEADERS (and as much of its body as the windows allow).
    private func open(_ s: H2Stream) {
        let id = nextStreamID
        nextStreamID += 2
        s.id = id
        s.sendWindow = peer.initialWindowSize
        s.lastActivity = engine.now
        streams[id] = s
        let r = s.request
        scratch.removeAll(keepingCapacity: true)
        requestEncoder.encode(method: r.method, authority: s.target.authority, path: s.target.path, headers: r.headers,
                              bodyCount: r.body?.count, into: &scratch)
        let hasBody = s.bodyCount > 0
        FrameWriter.headers(scratch, stream: id, endStream: !hasBody, maxFrameSize: peer.maxFrameSize, into: &out)
        s.endStreamSent = !hasBody
        if hasBody { sendBody(s) }
        engine.markDirty(self)
    }

    /// Sends body bytes while both windows have room; a stream left with bytes is `blocked`.
    /// Returns whether the body is complete.
    @discardableResult
    func sendBody(_ s: H2Stream) -> Bool {
        guard let body = s.request.body else { return true }
        while s.bodySent < body.count {
            let n = min(body.count - s.bodySent, s.sendWindow, sendWindow, peer.maxFrameSize)
            guard n > 0 else {
                if !blocked.contains(where: { $0 === s }) { blocked.append(s) }
                return false
            }
            let end = s.bodySent + n == body.count
            FrameWriter.data(body[s.bodySent..<(s.bodySent + n)], stream: s.id, endStream: end, into: &out)
            s.bodySent += n
            s.sendWindow -= n
            sendWindow -= n
            if end { s.endStreamSent = true }
        }
        engine.markDirty(self)
        return true
    }

    /// After a window grew: continues the blocked bodies, in order.
    func resumeBlocked() {
        guard !blocked.isEmpty else { return }
        let waitingBodies = blocked
        blocked.removeAll()
        for s in waitingBodies where !s.completed && streams[s.id] === s {
            sendBody(s)
        }
        engine.markDirty(self)
    }

    /// Ends a stream from this side (cancel, timeout): RST_STREAM(CANCEL) if it was opened.
    func reset(_ s: H2Stream) {
        if s.id == 0 {
            // Still queued: it leaves the queue (the caller completes it).
            if let i = waiting[waitingHead...].firstIndex(where: { $0 === s }) { waiting.remove(at: i) }
            return
        }
        guard streams[s.id] === s else { return }
        streams.removeValue(forKey: s.id)
        FrameWriter.rstStream(.cancel, stream: s.id, into: &out)
        engine.markDirty(self)  // also where a retired connection is closed once idle
        startWaiting()
    }

    /// The response ended: the stream leaves the table (reset if its request was not fully sent)
    /// and completes; a waiting request may take its place.
    func complete(_ s: H2Stream) {
        streams.removeValue(forKey: s.id)
        if !s.endStreamSent { FrameWriter.rstStream(.cancel, stream: s.id, into: &out) }
        engine.markDirty(self)  // also where a retired connection is closed once idle
        if s.status == 0 {
            s.finish(.failure(H2Failures.receive("the stream of \(s.target.authority) ended without a response")))
        } else {
            s.finish(.success(HTTPResponse(status: s.status, fields: s.headerFields, body: s.body, httpVersion: "2")))
        }
        startWaiting()
    }
}

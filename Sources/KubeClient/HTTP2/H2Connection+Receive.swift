/// Handling received frames (RFC 9113 §6): responses, flow control, settings, pings, resets and
/// GOAWAY. Violations throw `H2ConnectionError`, which ends the connection.
extension H2Connection {
    func handle(_ frame: FrameReader.Frame) throws(H2ConnectionError) {
        let h = frame.header
        if headerBlockStream != 0 && (h.type != FrameType.continuation.rawValue || h.streamID != headerBlockStream) {
            throw H2ConnectionError(code: .protocolError, reason: "frame type \(h.type) inside a header block")
        }
        guard let type = FrameType(rawValue: h.type) else { return }  // unknown types are ignored
        switch type {
        case .data: try receiveData(frame)
        case .headers:
            headerBlock.removeAll(keepingCapacity: true)
            headerBlock.append(contentsOf: frame.payload)
            if h.has(FrameFlags.endHeaders) {
                try receiveHeaderBlock(stream: h.streamID, endStream: h.has(FrameFlags.endStream))
            } else {
                headerBlockStream = h.streamID
                headerBlockEndStream = h.has(FrameFlags.endStream)
            }
        case .continuation:
            guard headerBlockStream == h.streamID else {
                throw H2ConnectionError(code: .protocolError, reason: "CONTINUATION without a header block")
            }
            headerBlock.append(contentsOf: frame.payload)
            if h.has(FrameFlags.endHeaders) {
                let id = headerBlockStream
                headerBlockStream = 0
                try receiveHeaderBlock(stream: id, endStream: headerBlockEndStream)
            }
        case .rstStream:
            guard let s = streams[h.streamID] else { return }
            let code = H2ErrorCode(rawValue: frame.payload.loadBigEndianUInt32(at: 0))
            streams.removeValue(forKey: h.streamID)
            if code == .refusedStream && s.reruns < 3 && s.received == 0 {
                // Not processed by the server (§8.7): safe to send again.
                s.resetForRerun()
                waiting.append(s)
            } else {
                s.finish(.failure(H2Failures.streamReset(h.streamID, code)))
            }
            startWaiting()
        case .settings:
            guard !h.has(FrameFlags.ack) else { return }
            // The ACK goes before any frame that uses the new values: the server enforces its
            // settings (e.g. a larger SETTINGS_MAX_FRAME_SIZE) only from the ACK on.
            FrameWriter.settingsAck(into: &out)
            engine.markDirty(self)
            try applySettings(frame.payload)
        case .ping:
            guard !h.has(FrameFlags.ack) else {
                pingSentAt = nil
                return
            }
            FrameWriter.pingAck(frame.payload, into: &out)
            engine.markDirty(self)
        case .goAway:
            receiveGoAway(last: frame.payload.loadBigEndianUInt32(at: 0) & 0x7fff_ffff,
                          code: H2ErrorCode(rawValue: frame.payload.loadBigEndianUInt32(at: 4)))
        case .windowUpdate:
            let increment = Int(frame.payload.loadBigEndianUInt32(at: 0) & 0x7fff_ffff)
            if h.streamID == 0 {
                guard increment > 0 else { throw H2ConnectionError(code: .protocolError, reason: "WINDOW_UPDATE of 0") }
                sendWindow += increment
                guard sendWindow <= 0x7fff_ffff else { throw H2ConnectionError(code: .flowControlError, reason: "window over 2^31-1") }
            } else if let s = streams[h.streamID] {
                s.sendWindow += increment
            }
            resumeBlocked()
        case .pushPromise:
            throw H2ConnectionError(code: .protocolError, reason: "PUSH_PROMISE although push is disabled")
        case .priority:
            return
        }
    }

    private func receiveData(_ frame: FrameReader.Frame) throws(H2ConnectionError) {
        connectionUnacknowledged += frame.flowControlled
        if connectionUnacknowledged >= ReceiveWindow.connection / 2 {
            FrameWriter.windowUpdate(connectionUnacknowledged, stream: 0, into: &out)
            connectionUnacknowledged = 0
            engine.markDirty(self)
        }
        guard let s = streams[frame.header.streamID] else { return }  // a stream this side reset
        guard s.finalHeadersSeen else {
            throw H2ConnectionError(code: .protocolError, reason: "DATA before the response head on stream \(s.id)")
        }
        s.lastActivity = engine.now
        s.received += frame.payload.count
        if s.streaming {
            s.onData?(frame.payload)
            if s.onFlush != nil && !s.flushPending {
                s.flushPending = true
                flushes.append(s)
            }
        } else {
            s.body.append(contentsOf: frame.payload)
        }
        if frame.header.has(FrameFlags.endStream) {
            complete(s)
            return
        }
        s.unacknowledged += frame.flowControlled
        if s.unacknowledged >= ReceiveWindow.stream / 2 {
            FrameWriter.windowUpdate(s.unacknowledged, stream: s.id, into: &out)
            s.unacknowledged = 0
            engine.markDirty(self)
        }
    }

    private func receiveHeaderBlock(stream id: UInt32, endStream: Bool) throws(H2ConnectionError) {
        // Always decoded: the block updates the connection's HPACK table even for a stream gone.
        let decoded: [HPACKField]
        do {
            decoded = try headerBlock.withUnsafeBytes { (raw) throws(HPACKError) in try decoder.decode(raw) }
        } catch {
            throw H2ConnectionError(code: .compressionError, reason: "header block of stream \(id): \(error)")
        }
        guard let s = streams[id] else { return }
        s.lastActivity = engine.now
        if !s.finalHeadersSeen {
            // The block is kept as the response's header list; the dictionary is built only if a
            // caller reads `HTTPResponse.headers`.
            var status = 0
            for f in decoded where f.name == ":status" { status = Int(f.value) ?? 0 }
            guard status >= 100 else {
                throw H2ConnectionError(code: .protocolError, reason: "response on stream \(id) without :status")
            }
            if status < 200 {  // informational (100 Continue): the final head follows
                // …unless the stream ends here, which makes the response malformed (§8.1).
                guard !endStream else {
                    streams.removeValue(forKey: id)
                    FrameWriter.rstStream(.protocolError, stream: id, into: &out)
                    engine.markDirty(self)
                    s.finish(.failure(H2Failures.receive("stream \(id) ended after an informational \(status) response")))
                    startWaiting()
                    return
                }
                return
            }
            s.status = status
            s.headerFields = decoded
            s.finalHeadersSeen = true
            s.streaming = s.onData != nil && (200..<300).contains(status)
        }
        // A second block is the trailers: ignored.
        if endStream { complete(s) }
    }

    private func applySettings(_ payload: UnsafeRawBufferPointer) throws(H2ConnectionError) {
        var offset = 0
        while offset + 6 <= payload.count {
            let id = UInt16(payload[offset]) << 8 | UInt16(payload[offset + 1])
            let value = payload.loadBigEndianUInt32(at: offset + 2)
            offset += 6
            switch id {
            case SettingID.maxConcurrentStreams:
                peer.maxConcurrentStreams = Int(min(value, 1 << 20))
            case SettingID.initialWindowSize:
                guard value <= 0x7fff_ffff else { throw H2ConnectionError(code: .flowControlError, reason: "initial window over 2^31-1") }
                let delta = Int(value) - peer.initialWindowSize
                peer.initialWindowSize = Int(value)
                for s in streams.values { s.sendWindow += delta }
            case SettingID.maxFrameSize:
                guard (16_384...16_777_215).contains(value) else {
                    throw H2ConnectionError(code: .protocolError, reason: "SETTINGS_MAX_FRAME_SIZE \(value)")
                }
                peer.maxFrameSize = Int(value)
            default:
                break  // header table size: the encoder never indexes; push: servers never set it
            }
        }
        settingsReceived = true
        startWaiting()
        resumeBlocked()
    }

    /// GOAWAY: no new streams here; streams above `last` were not processed and run again on a
    /// new connection; the others may still finish. The connection closes once they have.
    private func receiveGoAway(last: UInt32, code: H2ErrorCode) {
        goAway = (code, min(last, goAway?.last ?? last))
        engine.retire(self)
        var rerun: [H2Stream] = []
        for (id, s) in streams where id > last {
            streams.removeValue(forKey: id)
            if s.reruns >= 3 {
                s.finish(.failure(H2Failures.goAway(code, lastStream: last)))
                continue
            }
            s.resetForRerun()
            rerun.append(s)
        }
        rerun.sort { $0.created < $1.created }
        rerun += waiting[waitingHead...]
        waiting.removeAll()
        waitingHead = 0
        engine.rerun(rerun)
        engine.markDirty(self)  // closed at the end of the turn if no stream is left
    }
}

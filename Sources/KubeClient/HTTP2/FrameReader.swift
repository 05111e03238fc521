/// Splits received bytes into frames and checks what RFC 9113 fixes about each type's shape
/// (§4.2, §6): the sizes of fixed-size payloads, the stream identifier a type must or must not
/// have, and padding. Frames of unknown types pass through (the caller ignores them).
enum FrameReader {
    /// One complete frame: its header and payload (padding already removed for DATA and HEADERS;
    /// the priority fields of HEADERS skipped).
    struct Frame {
        var header: FrameHeader
        var payload: UnsafeRawBufferPointer
        /// The octets that count against flow control (DATA: the whole frame payload, padding included).
        var flowControlled: Int
    }

    /// Calls `body` for every complete frame in `bytes` and returns how many octets were
    /// consumed (the rest is the beginning of a frame). Throws on a malformed frame, which is a
    /// connection error.
    static func frames(in bytes: UnsafeRawBufferPointer, maxFrameSize: Int,
                       _ body: (Frame) throws(H2ConnectionError) -> Void) throws(H2ConnectionError) -> Int {
        var offset = 0
        while bytes.count - offset >= FrameHeader.size {
            let header = FrameHeader.read(bytes, at: offset)
            guard header.length <= maxFrameSize else {
                throw H2ConnectionError(code: .frameSizeError, reason: "frame of \(header.length) octets over the limit of \(maxFrameSize)")
            }
            let end = offset + FrameHeader.size + header.length
            guard end <= bytes.count else { break }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[(offset + FrameHeader.size)..<end])
            try body(try validate(header, raw))
            offset = end
        }
        return offset
    }

    /// Checks a frame's shape and strips padding/priority fields.
    static func validate(_ h: FrameHeader, _ raw: UnsafeRawBufferPointer) throws(H2ConnectionError) -> Frame {
        func fail(_ code: H2ErrorCode, _ why: String) -> H2ConnectionError { H2ConnectionError(code: code, reason: why) }
        guard let type = FrameType(rawValue: h.type) else { return Frame(header: h, payload: raw, flowControlled: 0) }
        switch type {
        case .data, .headers, .continuation, .rstStream, .priority, .pushPromise:
            guard h.streamID != 0 else { throw fail(.protocolError, "\(type) frame on stream 0") }
        case .settings, .ping, .goAway:
            guard h.streamID == 0 else { throw fail(.protocolError, "\(type) frame on stream \(h.streamID)") }
        case .windowUpdate: break
        }
        switch type {
        case .rstStream where raw.count != 4, .windowUpdate where raw.count != 4:
            throw fail(.frameSizeError, "\(type) frame of \(raw.count) octets")
        case .priority where raw.count != 5:
            throw fail(.frameSizeError, "PRIORITY frame of \(raw.count) octets")
        case .ping where raw.count != 8:
            throw fail(.frameSizeError, "PING frame of \(raw.count) octets")
        case .settings where raw.count % 6 != 0 || (h.has(FrameFlags.ack) && raw.count != 0):
            throw fail(.frameSizeError, "SETTINGS frame of \(raw.count) octets")
        case .goAway where raw.count < 8:
            throw fail(.frameSizeError, "GOAWAY frame of \(raw.count) octets")
        default: break
        }
        var payload = raw
        if type == .data || type == .headers || type == .pushPromise, h.has(FrameFlags.padded) {
            guard let pad = raw.first.map(Int.init), pad < raw.count else {
                throw fail(.protocolError, "padding longer than the \(type) frame")
            }
            payload = UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - pad)])
        }
        if type == .headers, h.has(FrameFlags.priority) {
            guard payload.count >= 5 else { throw fail(.frameSizeError, "HEADERS frame too short for its priority") }
            payload = UnsafeRawBufferPointer(rebasing: payload[5...])
        }
        return Frame(header: h, payload: payload, flowControlled: type == .data ? raw.count : 0)
    }
}

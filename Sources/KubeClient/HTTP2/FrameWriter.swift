/// Appends HTTP/2 frames to a connection's output buffer (RFC 9113 §6). Everything a loop turn
/// produces for a connection accumulates in one buffer and leaves in one `SSL_write`.
enum FrameWriter {
    /// The client connection preface (§3.4).
    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// A header block as HEADERS plus as many CONTINUATION frames as `maxFrameSize` needs.
    static func headers(_ block: [UInt8], stream: UInt32, endStream: Bool, maxFrameSize: Int, into out: inout [UInt8]) {
        var offset = 0
        var first = true
        repeat {
            let n = min(maxFrameSize, block.count - offset)
            let last = offset + n == block.count
            var flags: UInt8 = last ? FrameFlags.endHeaders : 0
            if first && endStream { flags |= FrameFlags.endStream }
            let type: FrameType = first ? .headers : .continuation
            FrameHeader(length: n, type: type.rawValue, flags: flags, streamID: stream).write(into: &out)
            out.append(contentsOf: block[offset..<(offset + n)])
            offset += n
            first = false
        } while offset < block.count
    }

    /// One DATA frame with `bytes` (at most the peer's max frame size).
    static func data(_ bytes: ArraySlice<UInt8>, stream: UInt32, endStream: Bool, into out: inout [UInt8]) {
        FrameHeader(length: bytes.count, type: FrameType.data.rawValue, flags: endStream ? FrameFlags.endStream : 0,
                    streamID: stream).write(into: &out)
        out.append(contentsOf: bytes)
    }

    static func settings(_ values: [(UInt16, UInt32)], into out: inout [UInt8]) {
        FrameHeader(length: values.count * 6, type: FrameType.settings.rawValue, flags: 0, streamID: 0).write(into: &out)
        for (id, value) in values {
            out.append(UInt8(id >> 8))
            out.append(UInt8(truncatingIfNeeded: id))
            out.appendBigEndian(value)
        }
    }

    static func settingsAck(into out: inout [UInt8]) {
        FrameHeader(length: 0, type: FrameType.settings.rawValue, flags: FrameFlags.ack, streamID: 0).write(into: &out)
    }

    /// A PING of ours (the health check); the server answers with the same 8 bytes and ACK.
    static func ping(into out: inout [UInt8]) {
        FrameHeader(length: 8, type: FrameType.ping.rawValue, flags: 0, streamID: 0).write(into: &out)
        out.append(contentsOf: [UInt8](repeating: 0, count: 8))
    }

    static func pingAck(_ opaque: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        FrameHeader(length: 8, type: FrameType.ping.rawValue, flags: FrameFlags.ack, streamID: 0).write(into: &out)
        out.append(contentsOf: opaque)
    }

    static func windowUpdate(_ increment: Int, stream: UInt32, into out: inout [UInt8]) {
        FrameHeader(length: 4, type: FrameType.windowUpdate.rawValue, flags: 0, streamID: stream).write(into: &out)
        out.appendBigEndian(UInt32(increment) & 0x7fff_ffff)
    }

    static func rstStream(_ code: H2ErrorCode, stream: UInt32, into out: inout [UInt8]) {
        FrameHeader(length: 4, type: FrameType.rstStream.rawValue, flags: 0, streamID: stream).write(into: &out)
        out.appendBigEndian(code.rawValue)
    }

    static func goAway(lastStream: UInt32, _ code: H2ErrorCode, into out: inout [UInt8]) {
        FrameHeader(length: 8, type: FrameType.goAway.rawValue, flags: 0, streamID: 0).write(into: &out)
        out.appendBigEndian(lastStream)
        out.appendBigEndian(code.rawValue)
    }
}

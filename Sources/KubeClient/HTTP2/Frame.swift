/// HTTP/2 frame types, flags and the 9-octet frame header (RFC 9113 §4.1, §6).
enum FrameType: UInt8, Sendable {
    case data = 0x0, headers = 0x1, priority = 0x2, rstStream = 0x3, settings = 0x4
    case pushPromise = 0x5, ping = 0x6, goAway = 0x7, windowUpdate = 0x8, continuation = 0x9
}

/// Frame flags; which bits mean what depends on the frame type.
enum FrameFlags {
    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4
    static let padded: UInt8 = 0x8
    static let priority: UInt8 = 0x20
}

/// A frame's header. `type` is the raw octet: unknown types are legal and ignored (§5.5).
struct FrameHeader: Equatable, Sendable {
    static let size = 9
    /// The largest frame payload a peer may send before SETTINGS_MAX_FRAME_SIZE says otherwise.
    static let defaultMaxPayload = 16_384

    var length: Int
    var type: UInt8
    var flags: UInt8
    var streamID: UInt32

    func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// Reads the header at `offset` of `bytes` (which must hold 9 octets from there); the
    /// reserved bit of the stream identifier is dropped.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> FrameHeader {
        let length = Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
        let id = bytes.loadBigEndianUInt32(at: offset + 5) & 0x7fff_ffff
        return FrameHeader(length: length, type: bytes[offset + 3], flags: bytes[offset + 4], streamID: id)
    }

    /// Appends the 9 octets.
    func write(into out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(type)
        out.append(flags)
        out.appendBigEndian(streamID & 0x7fff_ffff)
    }
}

extension UnsafeRawBufferPointer {
    func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v >> 24))
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }
}

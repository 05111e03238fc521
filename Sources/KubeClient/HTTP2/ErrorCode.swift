/// HTTP/2 error codes (RFC 9113 §7), as RST_STREAM and GOAWAY carry them.
struct H2ErrorCode: RawRepresentable, Equatable, Sendable, CustomStringConvertible {
    var rawValue: UInt32

    static let noError = H2ErrorCode(rawValue: 0x0)
    static let protocolError = H2ErrorCode(rawValue: 0x1)
    static let internalError = H2ErrorCode(rawValue: 0x2)
    static let flowControlError = H2ErrorCode(rawValue: 0x3)
    static let settingsTimeout = H2ErrorCode(rawValue: 0x4)
    static let streamClosed = H2ErrorCode(rawValue: 0x5)
    static let frameSizeError = H2ErrorCode(rawValue: 0x6)
    static let refusedStream = H2ErrorCode(rawValue: 0x7)
    static let cancel = H2ErrorCode(rawValue: 0x8)
    static let compressionError = H2ErrorCode(rawValue: 0x9)
    static let connectError = H2ErrorCode(rawValue: 0xa)
    static let enhanceYourCalm = H2ErrorCode(rawValue: 0xb)
    static let inadequateSecurity = H2ErrorCode(rawValue: 0xc)
    static let http11Required = H2ErrorCode(rawValue: 0xd)

    private static let names = ["NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
                                "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
                                "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"]

    /// The RFC's name and the number, e.g. `REFUSED_STREAM (err 7)` (curl's wording).
    var description: String {
        let name = rawValue < Self.names.count ? Self.names[Int(rawValue)] : "unknown error"
        return "\(name) (err \(rawValue))"
    }
}

/// A violation of the protocol by the peer that ends the connection (§5.4.1).
struct H2ConnectionError: Error, Sendable {
    var code: H2ErrorCode
    var reason: String
}

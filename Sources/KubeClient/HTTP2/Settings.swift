/// SETTINGS parameters (RFC 9113 §6.5.2) and what this client announces.
enum SettingID {
    static let headerTableSize: UInt16 = 0x1
    static let enablePush: UInt16 = 0x2
    static let maxConcurrentStreams: UInt16 = 0x3
    static let initialWindowSize: UInt16 = 0x4
    static let maxFrameSize: UInt16 = 0x5
    static let maxHeaderListSize: UInt16 = 0x6
}

/// Receive-side flow-control sizes, as Go's HTTP/2 transport: streams (watches, large lists)
/// never wait for a WINDOW_UPDATE in practice, and updates are sent rarely.
enum ReceiveWindow {
    /// SETTINGS_INITIAL_WINDOW_SIZE this client announces: per stream.
    static let stream = 4 << 20
    /// The connection window, opened by a WINDOW_UPDATE on stream 0 right after the preface.
    static let connection = 1 << 30
    /// The RFC's initial window (before any setting), for both directions.
    static let initial = 65_535
}

/// The peer's settings that this client acts on.
struct PeerSettings: Sendable {
    /// Until the server's first SETTINGS arrive, at most this many streams are opened (Go's
    /// transport assumes 100 as well).
    var maxConcurrentStreams = 100
    var initialWindowSize = ReceiveWindow.initial
    var maxFrameSize = FrameHeader.defaultMaxPayload
}

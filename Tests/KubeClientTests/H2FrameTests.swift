import Testing
@testable import KubeClient

/// The HTTP/2 frame codec (RFC 9113 §4, §6): what `FrameWriter` writes, `FrameReader` reads back;
/// malformed frames are connection errors with the RFC's code.
@Suite struct H2FrameTests {
    /// All frames of `bytes`, with their payloads copied out.
    static func read(_ bytes: [UInt8], maxFrameSize: Int = 16_384) throws(H2ConnectionError) -> (frames: [(FrameHeader, [UInt8])], consumed: Int) {
        var frames: [(FrameHeader, [UInt8])] = []
        var failure: H2ConnectionError?
        let consumed = bytes.withUnsafeBytes { raw -> Int in
            do throws(H2ConnectionError) {
                return try FrameReader.frames(in: raw, maxFrameSize: maxFrameSize) { (f) throws(H2ConnectionError) in
                    frames.append((f.header, Array(f.payload)))
                }
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return (frames, consumed)
    }

    static func code(_ bytes: [UInt8]) -> H2ErrorCode? {
        do { _ = try read(bytes); return nil } catch { return error.code }
    }

    @Test func framesRoundTrip() throws {
        var out: [UInt8] = []
        FrameWriter.settings([(SettingID.initialWindowSize, 4 << 20), (SettingID.enablePush, 0)], into: &out)
        FrameWriter.windowUpdate(1 << 30, stream: 0, into: &out)
        FrameWriter.headers([1, 2, 3], stream: 1, endStream: true, maxFrameSize: 16_384, into: &out)
        FrameWriter.data([9, 8, 7][...], stream: 3, endStream: false, into: &out)
        FrameWriter.rstStream(.cancel, stream: 3, into: &out)
        FrameWriter.goAway(lastStream: 7, .protocolError, into: &out)
        FrameWriter.settingsAck(into: &out)
        let (frames, consumed) = try Self.read(out)
        #expect(consumed == out.count)
        #expect(frames.map(\.0.type) == [4, 8, 1, 0, 3, 7, 4])
        #expect(frames[0].1 == [0, 4, 0, 0x40, 0, 0, 0, 2, 0, 0, 0, 0])
        #expect(frames[1].1 == [0x40, 0, 0, 0])
        #expect(frames[2].0 == FrameHeader(length: 3, type: 1, flags: FrameFlags.endStream | FrameFlags.endHeaders, streamID: 1))
        #expect(frames[2].1 == [1, 2, 3])
        #expect(frames[3].0.streamID == 3 && frames[3].0.flags == 0 && frames[3].1 == [9, 8, 7])
        #expect(frames[4].1 == [0, 0, 0, 8])
        #expect(frames[5].1 == [0, 0, 0, 7, 0, 0, 0, 1])
        #expect(frames[6].0.flags == FrameFlags.ack && frames[6].1.isEmpty)
    }

    @Test func largeHeaderBlocksContinue() throws {
        var out: [UInt8] = []
        let block = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        FrameWriter.headers(block, stream: 5, endStream: false, maxFrameSize: 16_384, into: &out)
        let (frames, _) = try Self.read(out)
        #expect(frames.map(\.0.type) == [FrameType.headers.rawValue, FrameType.continuation.rawValue, FrameType.continuation.rawValue])
        #expect(frames.map(\.0.flags) == [0, 0, FrameFlags.endHeaders])
        #expect(frames.flatMap(\.1) == block)
    }

    @Test func aPartialFrameWaitsForTheRest() throws {
        var out: [UInt8] = []
        FrameWriter.data([1, 2, 3, 4][...], stream: 1, endStream: true, into: &out)
        FrameWriter.data([5, 6][...], stream: 1, endStream: true, into: &out)
        let (frames, consumed) = try Self.read(Array(out.dropLast(1)))
        #expect(frames.count == 1 && consumed == 13)
    }

    @Test func paddingAndPriorityAreStripped() throws {
        // DATA, PADDED: pad length 2, payload [7, 7], padding [0, 0].
        let data: [UInt8] = [0, 0, 5, 0, FrameFlags.padded, 0, 0, 0, 1, 2, 7, 7, 0, 0]
        // HEADERS, PADDED | PRIORITY: pad length 1, 5 octets of priority, block [9], padding [0].
        let headers: [UInt8] = [0, 0, 8, 1, FrameFlags.padded | FrameFlags.priority | FrameFlags.endHeaders, 0, 0, 0, 3,
                                1, 0, 0, 0, 0, 16, 9, 0]
        let (frames, _) = try Self.read(data + headers)
        #expect(frames[0].1 == [7, 7])
        #expect(frames[1].1 == [9])
        // Padding counts against flow control.
        try data.withUnsafeBytes { raw in
            let f = try FrameReader.validate(FrameHeader.read(raw, at: 0), UnsafeRawBufferPointer(rebasing: raw[9...]))
            #expect(f.flowControlled == 5)
        }
    }

    @Test func malformedFramesAreConnectionErrors() {
        // DATA on stream 0.
        #expect(Self.code([0, 0, 1, 0, 0, 0, 0, 0, 0, 1]) == .protocolError)
        // SETTINGS on stream 1.
        #expect(Self.code([0, 0, 0, 4, 0, 0, 0, 0, 1]) == .protocolError)
        // SETTINGS of 5 octets, a SETTINGS ack with a payload.
        #expect(Self.code([0, 0, 5, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]) == .frameSizeError)
        #expect(Self.code([0, 0, 6, 4, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]) == .frameSizeError)
        // PING of 4 octets, WINDOW_UPDATE of 3, RST_STREAM of 5, GOAWAY of 4.
        #expect(Self.code([0, 0, 4, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4]) == .frameSizeError)
        #expect(Self.code([0, 0, 3, 8, 0, 0, 0, 0, 0, 1, 2, 3]) == .frameSizeError)
        #expect(Self.code([0, 0, 5, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) == .frameSizeError)
        #expect(Self.code([0, 0, 4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == .frameSizeError)
        // Padding as long as the frame.
        #expect(Self.code([0, 0, 2, 0, FrameFlags.padded, 0, 0, 0, 1, 2, 0]) == .protocolError)
        // A frame over the maximum size.
        #expect(Self.code([0, 0x40, 1, 0, 0, 0, 0, 0, 1]) == .frameSizeError)
        // Unknown frame types are ignored.
        #expect(Self.code([0, 0, 1, 0xfa, 0, 0, 0, 0, 1, 0]) == nil)
    }

    @Test func targetsParse() {
        let t = RequestTarget(url: "https://10.0.0.1:6443/api/v1/pods?watch=true")
        #expect(t?.host == "10.0.0.1" && t?.port == 6443 && t?.authority == "10.0.0.1:6443" && t?.path == "/api/v1/pods?watch=true")
        #expect(RequestTarget(url: "https://[::1]:8443")?.host == "::1")
        #expect(RequestTarget(url: "https://[::1]:8443")?.path == "/")
        #expect(RequestTarget(url: "https://kubernetes.default.svc/version")?.port == 443)
        #expect(RequestTarget(url: "http://127.0.0.1:80/") == nil)
        #expect(RequestTarget(url: "https://user@host/") == nil)
        #expect(RequestTarget(url: "https://host:0/") == nil)
    }

    @Test func proxyVariablesKeepAServerOnLibcurl() {
        func applies(_ host: String, _ env: [String: String]) -> Bool { ProxyEnvironment.applies(host: host) { env[$0] } }
        #expect(!applies("api.example.com", [:]))
        #expect(applies("api.example.com", ["HTTPS_PROXY": "http://proxy:3128"]))
        #expect(applies("api.example.com", ["all_proxy": "socks5://proxy"]))
        #expect(!applies("api.example.com", ["HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.com"]))
        #expect(!applies("api.example.com", ["https_proxy": "http://proxy:3128", "no_proxy": "localhost, .example.com"]))
        #expect(!applies("10.0.0.1", ["https_proxy": "http://proxy:3128", "no_proxy": "*"]))
        #expect(applies("example.org", ["https_proxy": "http://proxy:3128", "no_proxy": "example.com"]))
    }
}

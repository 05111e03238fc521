import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// A request as the test server saw it.
struct TestRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
    var httpVersion: String

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: [String: String] {
        guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            out[String(kv[0])] = kv.count > 1 ? String(kv[1]).removingPercentEncodingSimple : ""
        }
        return out
    }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// What the test server answers.
enum TestResponse: Sendable {
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    /// Chunked: every element of `chunks` is written and flushed as it comes; the end of the
    /// sequence ends the response.
    case stream(status: Int, chunks: AsyncStream<[UInt8]>)
    /// As `stream`, but when `chunks` ends the response is aborted instead of ended: the channel is
    /// closed (HTTP/1.1: the connection, mid-response; HTTP/2: the stream, with RST_STREAM).
    case aborted(status: Int, chunks: AsyncStream<[UInt8]>)

    /// HTTP/2 only: the head, then `body` as one DATA frame and RST_STREAM(`code`) in one TLS
    /// record, so that a client reads the data and the reset together. (The server's HTTP/2 state
    /// is not told: the stream stays open on its side.)
    case dataThenReset(status: Int, body: [UInt8], code: HTTP2ErrorCode)

    /// Closes the TCP connection the request came on (HTTP/2: the parent of its stream) without
    /// answering.
    case closeConnection
    /// HTTP/2 only: sends GOAWAY with the request's own stream as the last one processed (so
    /// streams opened after it were not), then answers `then`.
    indirect case goAwayThen(TestResponse)

    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> TestResponse {
        .full(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }
}

typealias Responder = @Sendable (TestRequest) async -> TestResponse

/// An HTTP/1.1 (and, with TLS + `http2`, ALPN-negotiated HTTP/2) server on 127.0.0.1 with an
/// ephemeral port, answering through an async `Responder`. Counts closed connections so tests
/// can wait for a client abort.
final class TestServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let port: Int
    let scheme: String
    let closed: AsyncStream<Void>
    private let acceptedCount: AcceptCounter

    var url: String { "\(scheme)://127.0.0.1:\(port)" }
    /// TCP connections accepted so far (an HTTP/2 client multiplexing everything holds one).
    var accepted: Int { acceptedCount.value.load(ordering: .relaxed) }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, scheme: String, closed: AsyncStream<Void>,
                 accepted: AcceptCounter) {
        self.group = group
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.scheme = scheme
        self.closed = closed
        self.acceptedCount = accepted
    }

    /// `maxConcurrentStreams` is the HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS the server announces.
    static func start(tls: TLSConfiguration? = nil, http2: Bool = false, maxConcurrentStreams: Int = 100,
                      responder: @escaping Responder) async throws -> TestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let (closed, closedContinuation) = AsyncStream<Void>.makeStream()
        let accepted = AcceptCounter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.value.add(1, ordering: .relaxed)
                channel.closeFuture.whenComplete { _ in closedContinuation.yield() }
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                }.flatMap {
                    if sslContext != nil && http2 {
                        return channel.configureHTTP2SecureUpgrade(h2ChannelConfigurator: { ch in
                            ch.configureHTTP2Pipeline(mode: .server, initialLocalSettings: [
                                HTTP2Setting(parameter: .maxConcurrentStreams, value: maxConcurrentStreams),
                            ]) { stream in
                                stream.eventLoop.makeCompletedFuture {
                                    try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                                    try stream.pipeline.syncOperations.addHandler(ResponderHandler(responder: responder, version: "2"))
                                }
                            }.map { _ in }
                        }, http1ChannelConfigurator: { ch in
                            ch.eventLoop.makeCompletedFuture {
                                try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                                try ch.pipeline.syncOperations.addHandler(ResponderHandler(responder: responder, version: "1.1"))
                            }
                        })
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(ResponderHandler(responder: responder, version: "1.1"))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestServer(group: group, channel: channel, scheme: tls == nil ? "http" : "https", closed: closed,
                          accepted: accepted)
    }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

/// How many connections a `TestServer` accepted.
final class AcceptCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// Runs the responder for each request and writes its answer.
final class ResponderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let responder: Responder
    let version: String
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(responder: @escaping Responder, version: String) {
        self.responder = responder
        self.version = version
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var b):
            body += b.readBytes(length: b.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = TestRequest(method: head.method.rawValue, uri: head.uri,
                                      headers: head.headers.map { ($0.name, $0.value) }, body: body, httpVersion: version)
            let channel = context.channel
            let responder = responder
            let keepAlive = head.isKeepAlive
            Task { await respondToRequest(request, responder, channel, keepAlive) }
        }
    }

    /// Writes the responder's answer through the (thread-safe) channel.
    nonisolated static func respond(_ request: TestRequest, _ responder: Responder, _ channel: any Channel, _ keepAlive: Bool) async {
        await write(await responder(request), request, channel, keepAlive)
    }

    nonisolated static func write(_ response: TestResponse, _ request: TestRequest, _ channel: any Channel, _ keepAlive: Bool) async {
        switch response {
        case .closeConnection:
            (channel.parent ?? channel).close(promise: nil)
        case .goAwayThen(let then):
            if let parent = channel.parent, let id = try? await channel.getOption(HTTP2StreamChannelOptions.streamID).get() {
                let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: id, errorCode: .noError, opaqueData: nil))
                try? await parent.writeAndFlush(frame).get()
            }
            await write(then, request, channel, keepAlive)
        case .full(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(body.count))
            writeHead(channel, status, h, keepAlive)
            channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        case .stream(let status, let chunks):
            writeHead(channel, status, HTTPHeaders([("Content-Type", "application/json")]), keepAlive)
            channel.flush()
            for await chunk in chunks {
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk))), promise: nil)
            }
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        case .dataThenReset(let status, let body, let code):
            let head = channel.eventLoop.makePromise(of: Void.self)
            writeHead(channel, status, HTTPHeaders([("Content-Type", "application/json")]), keepAlive, promise: head)
            channel.flush()
            // The HEADERS frame has left: the DATA and RST_STREAM frames follow in one write.
            guard (try? await head.futureResult.get()) != nil, let parent = channel.parent,
                  let id = try? await channel.getOption(HTTP2StreamChannelOptions.streamID).get() else { return }
            // Encoded here and written below NIOHTTP2Handler (which would drop DATA still buffered
            // when it sends RST_STREAM): one buffer, one TLS record.
            let stream = UInt32(Int32(id))
            var frames = ByteBuffer()
            frames.writeInteger(UInt32(body.count) << 8 | 0x0)  // length, type DATA
            frames.writeInteger(UInt8(0))  // flags
            frames.writeInteger(stream)
            frames.writeBytes(body)
            frames.writeInteger(UInt32(4) << 8 | 0x3)  // length, type RST_STREAM
            frames.writeInteger(UInt8(0))
            frames.writeInteger(stream)
            frames.writeInteger(UInt32(code.networkCode))
            try? await parent.eventLoop.submit { [frames] in
                let h2 = try parent.pipeline.syncOperations.context(handlerType: NIOHTTP2Handler.self)
                h2.writeAndFlush(NIOAny(IOData.byteBuffer(frames)), promise: nil)
            }.get()
        case .aborted(let status, let chunks):
            writeHead(channel, status, HTTPHeaders([("Content-Type", "application/json")]), keepAlive)
            channel.flush()
            for await chunk in chunks {
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk))), promise: nil)
            }
            channel.close(promise: nil)
        }
    }

    static func writeHead(_ channel: any Channel, _ status: Int, _ headers: HTTPHeaders, _ keepAlive: Bool,
                          promise: EventLoopPromise<Void>? = nil) {
        var h = headers
        if !keepAlive { h.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h)
        channel.write(HTTPServerResponsePart.head(head), promise: promise)
    }
}

extension String {
    var removingPercentEncodingSimple: String {
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func respondToRequest(_ request: TestRequest, _ responder: Responder, _ channel: any Channel, _ keepAlive: Bool) async {
    await ResponderHandler.respond(request, responder, channel, keepAlive)
}

import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 API-server stand-in on 127.0.0.1: GETs answer a small Pod; `watch=true`
/// requests get one ADDED event and then stay open.
final class BenchServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    init(threads: Int = 1) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 4096)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(BenchHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

final class BenchHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    var uri = ""

    static let pod = Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","namespace":"default","resourceVersion":"1"},"spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Running"}}"#.utf8)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): uri = h.uri
        case .body: break
        case .end:
            if uri.contains("watch=true") {
                let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": "application/json"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                if let count = Self.burstCount(uri) {
                    // `labelSelector=burst-N`: N realistic ~2 KB Pod events at once.
                    let events = (0..<count).flatMap { DecodeBenchmark.event($0) }
                    context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: events)))), promise: nil)
                    return
                }
                let event = #"{"type":"ADDED","object":"# + String(decoding: Self.pod, as: UTF8.self) + "}\n"
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: event)))), promise: nil)
            } else {
                let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                            headers: ["Content-Type": "application/json", "Content-Length": "\(Self.pod.count)"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: Self.pod)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    /// N from a `labelSelector=burst-N` query item.
    static func burstCount(_ uri: String) -> Int? {
        guard let r = uri.range(of: "labelSelector=burst-") else { return nil }
        return Int(uri[r.upperBound...].prefix { $0.isNumber })
    }
}

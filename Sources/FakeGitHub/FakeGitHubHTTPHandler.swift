import NIOCore
import NIOHTTP1
import Synchronization

/// One HTTP/1.1 connection of `FakeGitHubServer`: collects a request, answers it through
/// `FakeGitHubCore` (keep-alive honoured).
final class FakeGitHubHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: FakeGitHubCore
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(core: FakeGitHubCore) { self.core = core }

    func channelActive(context: ChannelHandlerContext) {
        core.connections.add(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.connections.remove(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buf):
            if let bytes = buf.readBytes(length: buf.readableBytes) { body += bytes }
        case .end:
            guard let h = head else { return }
            head = nil
            var headers: [String: String] = [:]
            for (k, v) in h.headers { headers[k.lowercased()] = headers[k.lowercased()].map { "\($0),\(v)" } ?? v }
            let r = core.handle(method: h.method.rawValue, uri: h.uri, headers: headers, body: body)
            body = []
            var out = HTTPHeaders(r.headers)
            out.add(name: "Content-Length", value: String(r.body.count))
            if !h.isKeepAlive { out.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .init(statusCode: r.status),
                                                                 headers: out))), promise: nil)
            if !r.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: r.body)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !h.isKeepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The open connections, so `stop()` can close them.
final class FakeConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ c: any Channel) { channels.withLock { $0[ObjectIdentifier(c)] = c } }
    func remove(_ c: any Channel) { _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(c)) } }
    var all: [any Channel] { channels.withLock { Array($0.values) } }
}

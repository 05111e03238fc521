import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Makes `Connection: close` on an answer true, at once, without reading the rest of the request.
///
/// Hummingbird ignores the answer's `Connection` header: after a route returns it drains the
/// unread request body (keep-alive) or waits for the client to close (when the request asked for
/// `close`) — either way, a client still sending an oversized body keeps the connection busy
/// until it gives up. This handler (a Hummingbird `additionalChannelHandlers` entry, between the
/// HTTP codec and the request handling) watches the answers going out:
///
/// 1. an answer head with `Connection: close` marks the connection;
/// 2. once that answer's end is flushed, the output is shut down (FIN: the client sees the answer
///    and the end of the connection), request parts still arriving are dropped (never buffered),
///    and at most `discardBudget` further bytes are read — a client that reads answers while it
///    sends stops and closes, which ends the connection at once;
/// 3. after `linger` the connection is closed, however much the client still wanted to send (the
///    pause lets the answer reach the client before a reset can overtake it, like Go's
///    `rstAvoidanceDelay`).
///
/// Answers without `Connection: close` pass through untouched.
final class CloseAfterAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Default pause between the answer and the close.
    static let defaultLinger: TimeAmount = .milliseconds(500)
    /// Default number of request bytes read (and dropped) after the answer.
    static let defaultDiscardBudget = 256 * 1024

    enum State { case serving, closeAfterAnswer, lingering }

    let linger: TimeAmount
    let discardBudget: Int
    private var state = State.serving
    private var discarded = 0

    init(linger: TimeAmount = defaultLinger, discardBudget: Int = defaultDiscardBudget) {
        self.linger = linger
        self.discardBudget = discardBudget
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if state == .serving, Self.asksToClose(head.headerFields) { state = .closeAfterAnswer }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard state == .closeAfterAnswer else { return context.write(data, promise: promise) }
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { [self] result in
                promise?.completeWith(result)
                startLingering(context)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state == .lingering else { return context.fireChannelRead(data) }
        if case .body(let chunk) = unwrapInboundIn(data) { discarded += chunk.readableBytes }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard state == .lingering else { return context.fireChannelReadComplete() }
        if discarded < discardBudget { context.read() }
    }

    /// While lingering, reading is this handler's decision alone (the request handler upstream
    /// may still be draining the body it no longer gets).
    func read(context: ChannelHandlerContext) {
        guard state != .lingering else { return }
        context.read()
    }

    private func startLingering(_ context: ChannelHandlerContext) {
        guard state == .closeAfterAnswer else { return }
        state = .lingering
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: linger) { context.close(promise: nil) }
        context.read()
    }

    static func asksToClose(_ fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { value in
            value.split(separator: ",").contains { $0.filter { $0 != " " && $0 != "\t" }.lowercased() == "close" }
        }
    }
}

@available(*, unavailable)
extension CloseAfterAnswerHandler: Sendable {}

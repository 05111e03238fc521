import NIOCore

/// Joins the writes between two flushes into one buffer before TLS, so the records of one flush
/// leave as one TLS record (up to 16 KiB each) instead of one record per write.
///
/// Why: NIOHTTP2 writes a frame header and its payload as two writes, and NIOSSL seals every write
/// into a record of its own, so one small HTTP/2 response (HEADERS, DATA, END_STREAM) was four
/// records, and a client whose TLS library reads a record with two `recv` calls (OpenSSL without
/// read-ahead, as libcurl uses it) paid eight. kube-apiserver (Go) frames into a buffered writer and
/// seals it once per flush; this does the same for both HTTP/2 and HTTP/1.1 on TLS connections.
///
/// Contract: bytes leave in write order, at the next flush; each write's promise completes with
/// the combined write. A file region (never written here) flushes what is pending and passes
/// through. Writes pending at close or removal fail.
final class WriteCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var pending: ByteBuffer?
    private var promises: [EventLoopPromise<Void>] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .byteBuffer(var buffer):
            if pending == nil {
                pending = buffer
            } else {
                pending!.writeBuffer(&buffer)
            }
            if let promise { promises.append(promise) }
        case .fileRegion:
            writePending(context: context)
            context.write(data, promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        writePending(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode != .input { failPending(ChannelError.ioOnClosedChannel) }
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failPending(ChannelError.ioOnClosedChannel)
    }

    private func writePending(context: ChannelHandlerContext) {
        guard let buffer = pending else { return }
        pending = nil
        let waiting = promises
        promises = []
        let promise: EventLoopPromise<Void>?
        switch waiting.count {
        case 0: promise = nil
        case 1: promise = waiting[0]
        default:
            let combined = context.eventLoop.makePromise(of: Void.self)
            combined.futureResult.whenComplete { result in for p in waiting { p.completeWith(result) } }
            promise = combined
        }
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
    }

    private func failPending(_ error: any Error) {
        pending = nil
        let waiting = promises
        promises = []
        for p in waiting { p.fail(error) }
    }
}

import NIOCore
import NIOHTTP1
import NIOSSL

/// The first handler of a connection to a TLS-enabled server: it looks at the first byte the
/// client sends and sets up the pipeline for TLS (a handshake record, 0x16; then HTTP/2 or
/// HTTP/1.1 per ALPN, see `ConnectionPipelines`) or for plain HTTP/1.1.
///
/// Why: kubectl and helm (client-go's clientcmd) send a kubeconfig's bearer token only over TLS,
/// so tests that run them as a given user need HTTPS, while raw-socket tests keep speaking plain
/// HTTP to the same port.
final class TLSOrPlainHTTP: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let sslContext: NIOSSLContext
    let core: ServerCore

    init(sslContext: NIOSSLContext, core: ServerCore) {
        self.sslContext = sslContext
        self.core = core
    }

    func channelActive(context: ChannelHandlerContext) {
        // The HTTPHandler added after sniffing never sees channelActive: the outage check is here.
        guard core.admit(context.channel) else { return context.close(promise: nil) }  // Faults/ServerOutage.swift
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        do {
            let sync = context.pipeline.syncOperations
            if first == 0x16 {
                try ConnectionPipelines.tls(sync, context: sslContext, core: core)  // h2 or HTTP/1.1 per ALPN
            } else {
                try ConnectionPipelines.http1(sync, core: core)
            }
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import NIOTLS

/// How a KubeTestServer connection is served once its protocol is known.
///
/// - Plain HTTP: HTTP/1.1 (with pipelining assistance), one `HTTPHandler` for the connection.
/// - TLS: ALPN offers `h2` and `http/1.1`, as kube-apiserver does. `h2` (what client-go, kubectl
///   and our libcurl client pick) gets NIOHTTP2's server pipeline with the apiserver's limits
///   (`APIServerHTTP2Settings`); every stream is a child channel running
///   `HTTP2FramePayloadToHTTP1ServerCodec` and its own `HTTPHandler`, so each endpoint, watch
///   streaming (body parts become DATA frames, the end of a watch END_STREAM), the request log and
///   authentication work exactly as over HTTP/1.1. A client that resets a stream (a cancelled watch)
///   closes that child channel, and `HTTPHandler.channelInactive` unregisters its watcher.
///   `http/1.1` or no ALPN at all: HTTP/1.1 as on plain connections.
enum ConnectionPipelines {
    /// The ALPN protocols offered on TLS connections, preferred first.
    static let alpn = ["h2", "http/1.1"]

    /// HTTP/1.1 on `channel` (plain, or above TLS).
    static func http1(_ sync: ChannelPipeline.SynchronousOperations, core: ServerCore) throws {
        try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
        try sync.addHandler(HTTPHandler(server: core, admitsConnection: false))
    }

    /// TLS on `channel` (whose first bytes are a handshake), then HTTP/2 or HTTP/1.1 per ALPN.
    static func tls(_ sync: ChannelPipeline.SynchronousOperations, context: NIOSSLContext, core: ServerCore) throws {
        try sync.addHandler(NIOSSLServerHandler(context: context))
        try sync.addHandler(WriteCoalescer())  // one TLS record per flush, as Go's servers write
        try sync.addHandler(ApplicationProtocolNegotiationHandler { result, channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                if case .negotiated("h2") = result {
                    try http2(sync, core: core)
                } else {
                    try http1(sync, core: core)
                }
            }
        })
    }

    /// HTTP/2 on a TLS connection that negotiated `h2`.
    static func http2(_ sync: ChannelPipeline.SynchronousOperations, core: ServerCore) throws {
        _ = try sync.configureHTTP2Pipeline(mode: .server, connectionConfiguration: APIServerHTTP2Settings.connection,
                                            streamConfiguration: APIServerHTTP2Settings.stream) { stream in
            stream.eventLoop.makeCompletedFuture {
                let streamSync = stream.pipeline.syncOperations
                try streamSync.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                try streamSync.addHandler(HTTPHandler(server: core, admitsConnection: false))
            }
        }
        try sync.addHandler(NIOCloseOnErrorHandler())
    }

    /// The server-side TLS configuration for `chain` and `key`, offering `alpn`.
    static func tlsConfiguration(chain: [NIOSSLCertificateSource], privateKey key: NIOSSLPrivateKey) -> TLSConfiguration {
        var c = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        c.applicationProtocols = alpn
        return c
    }
}

import NIOCore
import NIOHTTP2

/// The HTTP/2 limits kube-apiserver serves with (k8s.io/apiserver, `SecureServingInfo.Serve` in
/// pkg/server/secure_serving.go), which KubeTestServer advertises on its TLS connections.
///
/// - At most `maxConcurrentStreams` streams per connection: `--http2-max-streams-per-connection`,
///   whose default 0 means 100 (golang.org/x/net's client default; older apiservers used 250).
///   A client with more requests in flight (watches included) opens another connection.
/// - Frames up to 256 KiB (`MaxReadFrameSize`), and a 256 KiB receive window per stream
///   (`MaxReceiveBufferPerStream`: "99 % of serialized resources are smaller than 256kb", so most
///   request bodies fit in one frame and one window) and 256 KiB × streams per connection.
/// - Request headers up to 1 MiB (`MaxHeaderBytes: 1 << 20`).
enum APIServerHTTP2Settings {
    static let maxConcurrentStreams = 100
    static let resourceBody99Percentile = 256 * 1024
    static let maxHeaderListSize = 1 << 20

    /// The server's connection configuration: the SETTINGS above and the connection window.
    /// Stream resets are not rate-limited the way a public server would (a test or an operator
    /// cancelling many watches must not lose its connection).
    static var connection: NIOHTTP2Handler.ConnectionConfiguration {
        var c = NIOHTTP2Handler.ConnectionConfiguration()
        c.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: maxConcurrentStreams),
            HTTP2Setting(parameter: .maxFrameSize, value: resourceBody99Percentile),
            HTTP2Setting(parameter: .initialWindowSize, value: resourceBody99Percentile),
            HTTP2Setting(parameter: .maxHeaderListSize, value: maxHeaderListSize),
        ]
        c.targetWindowSize = resourceBody99Percentile * maxConcurrentStreams
        return c
    }

    /// Per stream: the 256 KiB receive window, and no reset rate limit (see `connection`).
    static var stream: NIOHTTP2Handler.StreamConfiguration {
        var s = NIOHTTP2Handler.StreamConfiguration()
        s.targetWindowSize = resourceBody99Percentile
        s.streamResetFrameRateLimit.maximumCount = Int.max / 2
        s.streamErrorRateLimit.maximumCount = Int.max / 2
        return s
    }
}

/// The HTTP/2 client's failures as `TransportFailure.curl` with the libcurl code curl gives the
/// same situation, so `RetryPolicy`, `KubeError.transport` and KubeRuntime's `WatchFailure`
/// classification (server gone: 16, 18, 52, 55, 56, 92; unreachable: 6, 7, 28, 35) treat both
/// transports alike. Messages say what happened and to whom (host and port, OpenSSL's reason,
/// the HTTP/2 error code), never request headers.
enum H2Failures {
    /// 35 (handshake), 58 (client certificate), 60 (server certificate), 77 (CA material).
    static func tls(_ code: Int, _ message: String) -> TransportFailure { .curl(code: code, message: message) }

    /// 6: the host name did not resolve.
    static func resolve(_ host: String, _ reason: String) -> TransportFailure {
        .curl(code: 6, message: "Could not resolve host: \(host) (\(reason))")
    }

    /// 7: the TCP connection failed.
    static func connect(_ host: String, _ port: Int, _ reason: String) -> TransportFailure {
        .curl(code: 7, message: "Failed to connect to \(host) port \(port): \(reason)")
    }

    /// 28: TCP and TLS set-up took longer than the connect timeout.
    static func connectTimeout(_ host: String, _ port: Int, _ limit: Duration) -> TransportFailure {
        .curl(code: 28, message: "Connection to \(host) port \(port) timed out after \(limit.milliseconds) milliseconds")
    }

    /// 28: the TLS handshake selected h2 but the server's SETTINGS (its connection preface) did
    /// not follow within the connect timeout.
    static func noSettings(_ host: String, _ port: Int, _ limit: Duration) -> TransportFailure {
        .curl(code: 28, message: "HTTP/2 connection to \(host) port \(port): no SETTINGS from the server within \(limit.milliseconds) milliseconds")
    }

    /// 28: the connection's PING was not answered in time (the health check): taken as dead.
    static func pingTimeout(_ host: String, _ port: Int, _ limit: Duration) -> TransportFailure {
        .curl(code: 28, message: "HTTP/2 connection to \(host) port \(port): no answer to PING within \(limit.milliseconds) milliseconds")
    }

    /// 28: the whole request took longer than its timeout.
    static func requestTimeout(_ limit: Duration, received: Int) -> TransportFailure {
        .curl(code: 28, message: "Operation timed out after \(limit.milliseconds) milliseconds with \(received) bytes received")
    }

    /// 56: the server closed or reset the connection under open streams.
    static func connectionLost(_ host: String, _ port: Int, reset: Bool) -> TransportFailure {
        .curl(code: 56, message: reset ? "Recv failure: Connection reset by peer (\(host) port \(port))"
                                       : "Recv failure: connection closed by \(host) port \(port)")
    }

    /// 56 / 55: a TLS read or write failed.
    static func receive(_ reason: String) -> TransportFailure { .curl(code: 56, message: "Recv failure: \(reason)") }
    static func send(_ reason: String) -> TransportFailure { .curl(code: 55, message: "Send failure: \(reason)") }

    /// 16: the server sent GOAWAY and closed the connection before this stream ended.
    static func goAway(_ code: H2ErrorCode, lastStream: UInt32) -> TransportFailure {
        .curl(code: 16, message: "HTTP/2 GOAWAY from the server: \(code), last stream \(lastStream)")
    }

    /// 16: a protocol violation ended the connection.
    static func protocolError(_ error: H2ConnectionError) -> TransportFailure {
        .curl(code: 16, message: "HTTP/2 connection error: \(error.code): \(error.reason)")
    }

    /// 92: the server reset the stream.
    static func streamReset(_ stream: UInt32, _ code: H2ErrorCode) -> TransportFailure {
        .curl(code: 92, message: "HTTP/2 stream \(stream) was reset by the server: \(code)")
    }
}

/// How a `KubeClient` reaches its API server, chosen once per client (`KubeClientConfig.transport`):
/// the HTTP/2 client (`H2Loop`) for an `https` server that no proxy variable applies to, libcurl
/// (`CurlLoop`) otherwise — for `http`, behind a proxy, or when the configuration forces it.
/// `H2Loop` itself hands a server's requests to libcurl when its handshake does not offer `h2`.
struct KubeTransport: Sendable {
    let curl: CurlLoop
    let h2: H2Loop?
    /// The targets of the requests (the server's part of each URL parsed once).
    let targets: ServerTarget

    init(config: KubeClientConfig, curl: CurlLoop, h2: H2Loop?) {
        self.curl = curl
        let targets = ServerTarget(server: config.server)
        self.targets = targets
        // `targets.base` is `RequestTarget(url: config.server + "/")` when the server is all ASCII.
        if config.transport == .automatic, let target = targets.base ?? RequestTarget(url: config.server + "/"),
           !ProxyEnvironment.appliesToHTTPS(host: target.host) {
            self.h2 = h2 ?? .shared
        } else {
            self.h2 = nil
        }
    }

    func perform(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        if let h2, let target = targets.target(for: request.url) { return try await h2.perform(request, target) }
        return try await curl.perform(request)
    }

    /// Starts a streaming request. `onData` gets the bytes of a 2xx answer as they arrive; `onFlush`
    /// follows the `onData` calls of one read (HTTP/2: all complete frames of one read; libcurl:
    /// every chunk), so a consumer can hand over what they delivered in one go; `onComplete` once, last.
    func stream(_ request: HTTPRequest, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
                onFlush: (@Sendable () -> Void)? = nil,
                onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> StreamHandle {
        if let h2, let target = targets.target(for: request.url) {
            return h2.stream(request, target, onData: onData, onFlush: onFlush, onComplete: onComplete)
        }
        return curl.stream(request, onData: Self.flushingEach(onData, onFlush), onComplete: onComplete)
    }

    /// libcurl has no notion of a read turn: each chunk is followed by its flush.
    static func flushingEach(_ onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
                             _ onFlush: (@Sendable () -> Void)?) -> @Sendable (UnsafeRawBufferPointer) -> Void {
        guard let onFlush else { return onData }
        return { bytes in
            onData(bytes)
            onFlush()
        }
    }

    /// `flushingEach` for a request that may have no `onData` (not a stream: none either).
    static func flushingEach(_ onData: (@Sendable (UnsafeRawBufferPointer) -> Void)?,
                             _ onFlush: (@Sendable () -> Void)?) -> (@Sendable (UnsafeRawBufferPointer) -> Void)? {
        onData.map { flushingEach($0, onFlush) }
    }

    /// "h2" or "curl" (for tests and logs).
    var name: String { h2 == nil ? "curl" : "h2" }
}

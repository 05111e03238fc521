/// How a `KubeClient` reaches its API server, chosen once per client (`KubeClientConfig.transport`):
/// the HTTP/2 client (`H2Loop`) for an `https` server that no proxy variable applies to, libcurl
/// (`CurlLoop`) otherwise — for `http`, behind a proxy, or when the configuration forces it.
/// `H2Loop` itself hands a server's requests to libcurl when its handshake does not offer `h2`.
struct KubeTransport: Sendable {
    let curl: CurlLoop
    let h2: H2Loop?
    /// The targets of `perform`'s requests (the server's part of each URL parsed once).
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

    func stream(_ request: HTTPRequest, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
                onComplete: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> StreamHandle {
        if let h2, let target = RequestTarget(url: request.url) {
            return h2.stream(request, target, onData: onData, onComplete: onComplete)
        }
        return curl.stream(request, onData: onData, onComplete: onComplete)
    }

    /// "h2" or "curl" (for tests and logs).
    var name: String { h2 == nil ? "curl" : "h2" }
}

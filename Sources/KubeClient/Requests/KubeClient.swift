import FoundationEssentials
import KubeAPI
import Logging

/// A Kubernetes API client: typed and dynamic requests, retries and watch streams over the
/// shared HTTP/2 loop (`https` servers) or the shared libcurl loop (see `KubeTransport`).
///
/// Contract: a client is immutable and `Sendable`; share one per API server. All requests of
/// all clients run on one `H2Loop` thread (and one `CurlLoop` thread for those libcurl carries). Errors are `KubeError`s (see `RetryPolicy` for
/// what is retried). No token or key material is ever logged or put into an error.
public final class KubeClient: Sendable {
    public let config: KubeClientConfig
    public let retryPolicy: RetryPolicy
    let loop: KubeTransport
    let observer: RequestObserver?
    let logger: Logger
    let fixedHeaders: FixedHeaderLines

    /// `loop` carries what goes through libcurl; `http2` the rest (nil: `H2Loop.shared`, started
    /// only when this client needs it).
    public init(config: KubeClientConfig, retryPolicy: RetryPolicy = RetryPolicy(), loop: CurlLoop = .shared,
                http2: H2Loop? = nil, observer: RequestObserver? = nil, logger: Logger = Logger(label: "kube-client")) {
        self.config = config
        self.retryPolicy = retryPolicy
        self.loop = KubeTransport(config: config, curl: loop, h2: http2)
        self.observer = observer
        self.logger = logger
        self.fixedHeaders = FixedHeaderLines(config: config)
    }

    /// A client from a kubeconfig file (`nil`: `KUBECONFIG`, in-cluster, then `~/.kube/config`),
    /// optionally for a context other than the current one.
    public static func load(kubeconfigPath: String? = nil, context: String? = nil) throws(KubeConfigError) -> KubeClient {
        KubeClient(config: try KubeClientConfig.fromEnvironment(kubeconfigPath: kubeconfigPath, context: context))
    }

    /// A client configured like kubectl would be in this environment.
    public static func fromEnvironment() throws(KubeConfigError) -> KubeClient {
        try load()
    }

    /// The namespace of the kubeconfig context or of the pod's service account.
    public var defaultNamespace: String { config.namespace }

    // MARK: - Request execution

    /// One logical API call (possibly several attempts).
    struct Call {
        var verb: String
        var method: String
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]? = nil
        var contentType: String? = nil
        var resource: ResourceDescriptor
        var subresource: String? = nil
        var name: String? = nil
        var idempotent: Bool

        var resourceLabel: String { subresource.map { "\(resource)/\($0)" } ?? resource.description }
    }

    func url(_ path: String, _ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return config.server + path }
        return config.server + path + "?" + query.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// The request's header lines, in this order: `Accept`, `User-Agent`, `Content-Type` (when
    /// there is a body), `Authorization` (when the credentials have a token). The lines that are
    /// the same for every request — the JSON `Accept` and `Content-Type`, the client's `User-Agent`
    /// and a fixed token's `Authorization` — are built once (`FixedHeaderLines`); a token file's
    /// line is built per request from its current token.
    func headers(contentType: String?, accept: String = "application/json") throws(KubeError) -> [String] {
        var h: [String] = []
        h.reserveCapacity(4)
        h.append(accept == "application/json" ? FixedHeaderLines.acceptJSON : "Accept: \(accept)")
        h.append(fixedHeaders.userAgent)
        if let contentType {
            h.append(contentType == "application/json" ? FixedHeaderLines.contentTypeJSON : "Content-Type: \(contentType)")
        }
        if let fixedToken = fixedHeaders.authorization {
            h.append(fixedToken)
        } else if case .tokenFile(let f) = config.credentials {
            do {
                h.append("Authorization: Bearer \(try f.current())")
            } catch {
                throw KubeError.unauthorized(message: error.description)
            }
        }
        return h
    }

    func httpRequest(_ call: Call, streaming: Bool = false, idleTimeout: Duration? = nil) throws(KubeError) -> HTTPRequest {
        HTTPRequest(method: call.method, url: url(call.path, call.query),
                    headers: try headers(contentType: call.contentType), body: call.body,
                    timeout: streaming ? nil : config.requestTimeout, connectTimeout: config.connectTimeout,
                    idleTimeout: idleTimeout, tls: config.tls)
    }

    /// Executes `call` with retries; returns the 2xx response or throws the typed error.
    func execute(_ call: Call) async throws(KubeError) -> HTTPResponse {
        var attempt = 1
        while true {
            let error: KubeError
            let started = ContinuousClock.now
            do {
                let response = try await loop.perform(try httpRequest(call))
                record(call, response.status, started, attempt)
                if (200..<300).contains(response.status) { return response }
                error = mapError(response, call)
            } catch let failure as TransportFailure {
                record(call, nil, started, attempt)
                if failure == .cancelled { throw KubeError(failure) }
                error = KubeError(failure)
            } catch let e as KubeError {
                throw e
            } catch {
                throw KubeError.decoding("\(error)")
            }
            guard let delay = retryPolicy.delay(after: error, attempt: attempt, idempotent: call.idempotent) else {
                throw error
            }
            logger.debug("retrying \(call.verb) \(call.resourceLabel) after \(error) in \(delay)")
            do {
                try await retryPolicy.sleeper(delay)
            } catch {
                throw KubeError.cancelled
            }
            attempt += 1
        }
    }

    func record(_ call: Call, _ status: Int?, _ started: ContinuousClock.Instant, _ attempt: Int) {
        observer?(RequestRecord(verb: call.verb, resource: call.resourceLabel, statusCode: status,
                                latency: ContinuousClock.now - started, attempt: attempt))
    }

    func mapError(_ response: HTTPResponse, _ call: Call) -> KubeError {
        let status = (try? JSONValue(parsing: response.body)).flatMap { v -> Status? in
            guard v["kind"]?.stringValue == "Status" else { return nil }
            return try? JSONValueDecoder().decode(Status.self, from: v)
        }
        var error = KubeError(status: status, httpCode: response.status, kind: call.resource.kind,
                              name: call.name, retryAfterHeader: response.header("retry-after"))
        if status == nil, case .server(let code, let reason, _) = error {
            let text = String(decoding: response.body.prefix(512), as: UTF8.self)
            error = .server(code: code, reason: reason, message: text.isEmpty ? "HTTP \(code)" : text)
        }
        return error
    }

    /// Executes `call` and parses the JSON body.
    func executeJSON(_ call: Call) async throws(KubeError) -> JSONValue {
        let response = try await execute(call)
        return try JSONCoding.parse(response.body)
    }

    /// Executes `call` and decodes the body straight from its bytes (no `JSONValue` tree).
    func executeDecoding<T: Decodable>(_ type: T.Type, _ call: Call) async throws(KubeError) -> T {
        let response = try await execute(call)
        return try JSONCoding.decode(T.self, bytes: response.body)
    }
}

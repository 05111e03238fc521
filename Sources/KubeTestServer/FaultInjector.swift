import Synchronization

/// Which requests a fault applies to; nil fields match anything.
public struct RequestMatcher: Sendable, Hashable {
    public var verb: String?
    /// `plural` or `plural.group`.
    public var resource: String?
    public var namespace: String?

    public init(verb: String? = nil, resource: String? = nil, namespace: String? = nil) {
        self.verb = verb
        self.resource = resource
        self.namespace = namespace
    }

    func matches(_ info: RequestInfo) -> Bool {
        (verb == nil || verb == info.verb) && (resource == nil || resource == info.qualifiedResource)
            && (namespace == nil || namespace == info.namespace)
    }
}

/// Test-controlled failures and latency, checked before a request reaches the store.
public final class FaultInjector: Sendable {
    struct Failure: Sendable {
        var matcher: RequestMatcher
        var remaining: Int
        var code: Int
        var retryAfter: Int?
    }

    private let state = Mutex<(failures: [Failure], latency: [(RequestMatcher, Double)])>(([], []))

    public init() {}

    /// Fails the next `count` matching requests with `code` (429 carries `Retry-After: retryAfter`).
    public func fail(_ matcher: RequestMatcher = RequestMatcher(), count: Int = 1, code: Int,
                     retryAfter: Int? = nil) {
        state.withLock { $0.failures.append(Failure(matcher: matcher, remaining: count, code: code,
                                                    retryAfter: retryAfter ?? (code == 429 ? 1 : nil))) }
    }

    /// Delays every matching request by `seconds` until `clearLatency()`.
    public func addLatency(_ seconds: Double, for matcher: RequestMatcher = RequestMatcher()) {
        state.withLock { $0.latency.append((matcher, seconds)) }
    }

    public func clearLatency() {
        state.withLock { $0.latency.removeAll() }
    }

    public func reset() {
        state.withLock { $0 = ([], []) }
    }

    /// Consumes a matching failure, if any, and returns the error to answer with.
    func failure(for info: RequestInfo) -> APIError? {
        state.withLock { s -> APIError? in
            guard let i = s.failures.firstIndex(where: { $0.remaining > 0 && $0.matcher.matches(info) }) else { return nil }
            s.failures[i].remaining -= 1
            let f = s.failures[i]
            if f.remaining == 0 { s.failures.remove(at: i) }
            return Self.error(code: f.code, retryAfter: f.retryAfter)
        }
    }

    func latency(for info: RequestInfo) -> Double {
        state.withLock { s in s.latency.filter { $0.0.matches(info) }.reduce(0) { $0 + $1.1 } }
    }

    static func error(code: Int, retryAfter: Int?) -> APIError {
        switch code {
        case 429:
            return APIError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.",
                            retryAfterSeconds: retryAfter)
        case 500:
            return APIError(code: 500, reason: "InternalError", message: "Internal error occurred: injected fault",
                            retryAfterSeconds: retryAfter)
        case 503:
            return APIError(code: 503, reason: "ServiceUnavailable", message: "The server is currently unable to handle the request",
                            retryAfterSeconds: retryAfter)
        case 504:
            return APIError(code: 504, reason: "Timeout", message: "The server was unable to return a response in the time allotted",
                            retryAfterSeconds: retryAfter)
        default:
            return APIError(code: code, reason: "InternalError", message: "injected fault (HTTP \(code))", retryAfterSeconds: retryAfter)
        }
    }
}

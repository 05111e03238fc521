import KubeAPI

/// A failed Kubernetes API call, decoded from the `metav1.Status` the server sent (or from the
/// transport). Carries kind/name where known and never request headers, tokens or bodies sent.
public enum KubeError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(kind: String?, name: String?, message: String)
    case alreadyExists(kind: String?, name: String?, message: String)
    /// 409 Conflict: a stale `resourceVersion` (optimistic concurrency) or a conflicting operation.
    case conflict(kind: String?, name: String?, message: String)
    /// 410 Gone / reason `Expired`: the requested resourceVersion is too old; relist.
    case gone(message: String)
    case forbidden(kind: String?, name: String?, message: String)
    case unauthorized(message: String)
    /// 422 Invalid (also 400 BadRequest with field causes), with field-level causes.
    case invalid(kind: String?, name: String?, message: String, causes: [StatusCause])
    /// 429: back off for `retryAfter` (from `Retry-After` or `details.retryAfterSeconds`).
    case tooManyRequests(retryAfter: Duration?, message: String)
    /// Any other HTTP status (5xx, 400, 405, ...): code, reason and message.
    case server(code: Int, reason: String?, message: String)
    /// The request never got a response: libcurl's code and message.
    case transport(code: Int, message: String)
    /// A watch stream received no bytes for the idle timeout (silently dead connection).
    case idleTimeout(Duration)
    /// The response could not be decoded into the expected type.
    case decoding(String)
    /// The calling task was cancelled; the transfer was aborted.
    case cancelled

    /// The HTTP status code the error stands for; `nil` for transport/decoding errors.
    public var code: Int? {
        switch self {
        case .notFound: 404
        case .alreadyExists, .conflict: 409
        case .gone: 410
        case .forbidden: 403
        case .unauthorized: 401
        case .invalid: 422
        case .tooManyRequests: 429
        case .server(let code, _, _): code
        case .transport, .idleTimeout, .decoding, .cancelled: nil
        }
    }

    public var isNotFound: Bool { if case .notFound = self { true } else { false } }
    public var isAlreadyExists: Bool { if case .alreadyExists = self { true } else { false } }
    public var isConflict: Bool { if case .conflict = self { true } else { false } }
    public var isGone: Bool { if case .gone = self { true } else { false } }

    public var description: String {
        func obj(_ kind: String?, _ name: String?) -> String {
            [kind, name.map { "\"\($0)\"" }].compactMap { $0 }.joined(separator: " ")
        }
        switch self {
        case .notFound(let k, let n, let m): return "not found: \(obj(k, n)): \(m)"
        case .alreadyExists(let k, let n, let m): return "already exists: \(obj(k, n)): \(m)"
        case .conflict(let k, let n, let m): return "conflict: \(obj(k, n)): \(m)"
        case .gone(let m): return "gone (resourceVersion expired): \(m)"
        case .forbidden(let k, let n, let m): return "forbidden: \(obj(k, n)): \(m)"
        case .unauthorized(let m): return "unauthorized: \(m)"
        case .invalid(let k, let n, let m, let causes):
            let c = causes.map { "\($0.field ?? "?"): \($0.message ?? $0.reason ?? "")" }.joined(separator: "; ")
            return "invalid: \(obj(k, n)): \(m)\(c.isEmpty ? "" : " [\(c)]")"
        case .tooManyRequests(let after, let m): return "too many requests (retry after \(after.map { "\($0)" } ?? "?")): \(m)"
        case .server(let code, let reason, let m): return "HTTP \(code)\(reason.map { " \($0)" } ?? ""): \(m)"
        case .transport(let code, let m): return "transport error (curl \(code)): \(m)"
        case .idleTimeout(let d): return "no data from the API server for \(d); connection presumed dead"
        case .decoding(let m): return "cannot decode response: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}

extension KubeError {
    /// Maps a `Status` (or just an HTTP code, when the body was not a Status) to a typed error.
    ///
    /// `kind`/`name` fall back to the request's when `details` lacks them; `retryAfterHeader`
    /// (seconds) wins over `details.retryAfterSeconds`.
    public init(status: Status?, httpCode: Int, kind: String? = nil, name: String? = nil, retryAfterHeader: String? = nil) {
        let code = status?.code ?? httpCode
        let reason = status?.reason
        let message = status?.message ?? "HTTP \(httpCode)"
        let k = status?.details?.kind ?? kind
        let n = status?.details?.name ?? name
        if reason == "Expired" || reason == "Gone" || code == 410 {
            self = .gone(message: message)
            return
        }
        switch (code, reason) {
        case (404, _), (_, "NotFound"): self = .notFound(kind: k, name: n, message: message)
        case (409, "AlreadyExists"), (_, "AlreadyExists"): self = .alreadyExists(kind: k, name: n, message: message)
        case (409, _), (_, "Conflict"): self = .conflict(kind: k, name: n, message: message)
        case (403, _), (_, "Forbidden"): self = .forbidden(kind: k, name: n, message: message)
        case (401, _), (_, "Unauthorized"): self = .unauthorized(message: message)
        case (422, _), (_, "Invalid"): self = .invalid(kind: k, name: n, message: message, causes: status?.details?.causes ?? [])
        case (429, _), (_, "TooManyRequests"):
            let header = retryAfterHeader.flatMap { Int($0.trimmingPrefixSpaces) }
            let seconds = header ?? status?.details?.retryAfterSeconds
            self = .tooManyRequests(retryAfter: seconds.map { .seconds($0) }, message: message)
        default: self = .server(code: code, reason: reason, message: message)
        }
    }

    init(_ failure: TransportFailure) {
        switch failure {
        case .curl(let code, let message): self = .transport(code: code, message: message)
        case .cancelled: self = .cancelled
        case .idle(let d): self = .idleTimeout(d)
        }
    }
}

extension String {
    fileprivate var trimmingPrefixSpaces: Substring { drop(while: { $0 == " " }) }
}

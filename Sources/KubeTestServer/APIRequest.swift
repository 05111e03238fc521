import KubeAPI

/// An HTTP request as the API layer sees it (transport-independent).
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        let (path, query) = APIRequest.split(uri)
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits a request target into its percent-decoded path and query parameters.
    static func split(_ uri: String) -> (String, [String: String]) {
        guard let q = uri.firstIndex(of: "?") else { return (percentDecode(uri), [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(String(kv[0]))
            query[key] = kv.count > 1 ? percentDecode(String(kv[1])) : ""
        }
        return (percentDecode(String(uri[..<q])), query)
    }

    static func percentDecode(_ s: String) -> String {
        // A byte scan: `String.contains("%")` goes through Foundation (`NSString.range(of:)`), 1.5 % of
        // the server's CPU for a check that runs on every request path.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    var accept: String { headers["accept"] ?? "" }
    var contentType: String { headers["content-type"] ?? "application/json" }
    var wantsTable: Bool { accept.contains("as=Table") }
}

/// What a request gets back: a complete response, or the plan of a watch stream.
public enum APIResponse: Sendable {
    case full(code: Int, headers: [(String, String)], body: [UInt8])
    case watch(WatchPlan)

    static func json(_ code: Int, _ value: JSONValue) -> APIResponse {
        .full(code: code, headers: [("Content-Type", "application/json")], body: value.serialized())
    }

    static func json(_ code: Int, bytes: [UInt8]) -> APIResponse {
        .full(code: code, headers: [("Content-Type", "application/json")], body: bytes)
    }

    static func error(_ e: APIError) -> APIResponse {
        var headers = [("Content-Type", "application/json")]
        if let r = e.retryAfterSeconds { headers.append(("Retry-After", String(r))) }
        return .full(code: e.code, headers: headers, body: e.status.serialized())
    }

    public var code: Int {
        switch self {
        case .full(let code, _, _): code
        case .watch: 200
        }
    }
}

/// A watch the transport should open: register with the store, stream frames, end after `timeout`.
public struct WatchPlan: Sendable {
    public var filter: WatchFilter
    public var resourceVersion: String?
    public var sendInitialEvents: Bool
    public var bookmarks: Bool
    /// Seconds until the server ends the stream.
    public var timeout: Double
}

import KubeAPI
import Synchronization

/// A complete answer as the HTTP handler writes it.
struct FakeHTTPResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
}

/// What every connection shares: the state under one lock and the request pipeline GitHub
/// applies before an endpoint runs.
///
/// Pipeline, in GitHub's order: authentication (`Authorization: Bearer <token>`, else 401
/// "Requires authentication" / "Bad credentials"), API version (400 for an unknown
/// `X-GitHub-Api-Version`), the primary rate limit (403 "API rate limit exceeded…" while
/// `remaining` is 0), queued faults, the endpoint; then a GET 200 gets a weak `ETag` and an
/// `If-None-Match` that matches it becomes a 304 that does not spend the budget. Every answer
/// past authentication carries `x-ratelimit-limit/remaining/used/reset/resource`.
final class FakeGitHubCore: Sendable {
    static let supportedVersions: Set<String> = ["2022-11-28", "2026-03-10"]

    let state: Mutex<FakeGitHubState>
    let pathPrefix: String
    let base = Mutex<String>("")
    let connections = FakeConnectionSet()

    init(token: String, login: String, pathPrefix: String) {
        state = Mutex(FakeGitHubState(token: token, login: login))
        self.pathPrefix = pathPrefix
    }

    func handle(method: String, uri: String, headers: [String: String], body: [UInt8]) -> FakeHTTPResponse {
        let base = self.base.withLock { $0 }
        let q = uri.firstIndex(of: "?")
        var path = String(q.map { uri[..<$0] } ?? uri[...])
        let query = q.map { String(uri[uri.index(after: $0)...]) } ?? ""
        let prefixed = pathPrefix.isEmpty || path.hasPrefix(pathPrefix + "/")
        if prefixed { path = String(path.dropFirst(pathPrefix.count)) }
        return state.withLock { s in
            let response = prefixed ? answer(&s, method: method, path: path, query: query, headers: headers, body: body, base: base)
                : Self.render(.notFound, extra: [])
            s.log.append(FakeGitHubRequest(method: method, path: path, query: query, headers: headers, body: body,
                                           status: response.status))
            return response
        }
    }

    private func answer(_ s: inout FakeGitHubState, method: String, path: String, query: String,
                        headers: [String: String], body: [UInt8], base: String) -> FakeHTTPResponse {
        guard let auth = headers["authorization"], auth.hasPrefix("Bearer ") else {
            return Self.render(.error(401, "Requires authentication"), extra: [])
        }
        guard s.tokens.contains(String(auth.dropFirst("Bearer ".count))) else {
            return Self.render(.error(401, "Bad credentials"), extra: [])
        }
        if let v = headers["x-github-api-version"], !Self.supportedVersions.contains(v) {
            return Self.render(.error(400, "API version '\(v)' is not supported."), extra: [])
        }
        if s.rateLimit.remaining <= 0 {
            return Self.render(.error(403, "API rate limit exceeded for user ID 1."), extra: Self.rateHeaders(s.rateLimit))
        }
        var nextLink: String?
        if let i = s.faults.firstIndex(where: { $0.matches(method: method, path: path) }) {
            let fault = s.faults[i].fault
            s.faults[i].remaining -= 1
            if s.faults[i].remaining <= 0 { s.faults.remove(at: i) }
            if case .nextLink(let url) = fault { nextLink = url } else {
                return Self.render(fault: fault, headers: headers, rate: s.rateLimit)
            }
        }
        let segments = path.split(separator: "/").map { FakeQuery.decode($0, plusIsSpace: false) }
        var a = s.route(method: method, segments: segments, query: query, body: body, base: base)
        if let nextLink { a.headers = a.headers.filter { $0.0 != "Link" } + [("Link", "<\(nextLink)>; rel=\"next\"")] }
        var extra: [(String, String)] = []
        if method == "GET" && a.status == 200 {
            let bytes = a.json?.serialized(sortedKeys: true) ?? []
            let etag = "W/\"\(FakeHash.hex(bytes + Array((a.headers.first { $0.0 == "Link" }?.1 ?? "").utf8)))\""
            if let inm = headers["if-none-match"], inm.split(separator: ",").contains(where: { Self.sameTag($0, etag) }) {
                return FakeHTTPResponse(status: 304, headers: [("ETag", etag)] + Self.rateHeaders(s.rateLimit), body: [])
            }
            extra.append(("ETag", etag))
            extra.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
        }
        s.rateLimit.remaining -= 1
        a.headers += extra
        return Self.render(a, extra: Self.rateHeaders(s.rateLimit))
    }

    private static func sameTag(_ a: Substring, _ b: String) -> Bool {
        func strip(_ t: some StringProtocol) -> Substring {
            let t = Substring(t).drop { $0 == " " }
            return t.hasPrefix("W/") ? t.dropFirst(2) : t
        }
        return strip(a) == strip(b)
    }

    static func rateHeaders(_ r: FakeRateLimit) -> [(String, String)] {
        [("x-ratelimit-limit", "\(r.limit)"), ("x-ratelimit-remaining", "\(max(0, r.remaining))"),
         ("x-ratelimit-used", "\(r.limit - max(0, r.remaining))"), ("x-ratelimit-reset", "\(r.reset)"),
         ("x-ratelimit-resource", "core")]
    }

    private static func render(fault: FakeGitHubFault, headers: [String: String], rate: FakeRateLimit) -> FakeHTTPResponse {
        switch fault {
        case .status(let code):
            return render(.error(code, code >= 500 ? "Server Error" : "Error"), extra: rateHeaders(rate))
        case .secondaryLimit(let code, let retryAfter):
            let message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
            return render(.error(code, message), extra: rateHeaders(rate) + (retryAfter.map { [("retry-after", "\($0)")] } ?? []))
        case .echoAuthorization:
            return render(.error(422, "Validation Failed: unexpected credentials \(headers["authorization"] ?? "")"),
                          extra: rateHeaders(rate))
        case .nextLink:
            return render(.notFound, extra: rateHeaders(rate))  // handled before routing
        }
    }

    static func render(_ a: FakeAnswer, extra: [(String, String)]) -> FakeHTTPResponse {
        var h = a.headers + extra
        h.append(("X-GitHub-Api-Version-Selected", "2022-11-28"))
        h.append(("X-GitHub-Media-Type", "github.v3; format=json"))
        if a.json != nil { h.append(("Content-Type", "application/json; charset=utf-8")) }
        return FakeHTTPResponse(status: a.status, headers: h, body: a.json?.serialized() ?? [])
    }
}

/// FNV-1a, for ETags and stable fake ids.
enum FakeHash {
    static func fnv(_ s: String) -> UInt64 { fnv(Array(s.utf8)) }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Percent-encodes a path segment (unreserved characters and `:@` stay).
    static func encodeSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~:@".contains(c) { out.append(c) } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let h = String(fnv(bytes), radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

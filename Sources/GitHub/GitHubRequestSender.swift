import KubeAPI
import KubeClient
import Logging
import Synchronization

/// One GitHub answer the client accepted (2xx, or a 304 replaced by the cached 200).
struct GitHubAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var link: String?
}

/// Sends one request the way every GitHub call goes out: the token (or `.disabled`), the rate
/// limit gate, the standard headers, conditional GETs, and the mapping of failures to
/// `GitHubError` (see `GitHubAPI`). Messages in errors and logs pass through `redact`, so the
/// token never leaves, even if a server were to echo it.
final class GitHubRequestSender: Sendable {
    let options: GitHubClientOptions
    let token: GitHubTokenSource
    let gate: GitHubRateLimitGate
    let cache: GitHubResponseCache
    let metrics: GitHubMetrics
    let logger: Logger
    let loop: CurlLoop
    /// The token of the last request, to drop the cache when it changes (never logged).
    private let lastToken = Mutex<String?>(nil)

    init(options: GitHubClientOptions, loop: CurlLoop, logger: Logger, metrics: GitHubMetrics,
         now: @escaping @Sendable () -> Double) {
        self.options = options
        token = GitHubTokenSource(path: options.tokenFile)
        gate = GitHubRateLimitGate(now: now)
        cache = GitHubResponseCache(capacityBytes: options.cacheBytes)
        self.metrics = metrics
        self.logger = logger
        self.loop = loop
    }

    /// Redirects followed for one call (GitHub answers 301 for a renamed repository).
    static let maxRedirects = 3

    /// Sends `method url` (an absolute URL under `options.apiURL`) with an optional JSON body,
    /// following redirects (301, 302, 307, 308) that stay on the API's origin with the same
    /// method and body, as GitHub asks clients to; a redirect elsewhere is `.rejected`.
    func send(_ method: String, _ url: String, json: JSONValue? = nil) async throws(GitHubError) -> GitHubAnswer {
        var url = url
        for _ in 0...Self.maxRedirects {
            switch try await sendOnce(method, url, json: json) {
            case .answer(let a): return a
            case .redirect(let to): url = to
            }
        }
        metrics.count(.rejected)
        throw .rejected(status: 301, message: "more than \(Self.maxRedirects) redirects")
    }

    private enum Step { case answer(GitHubAnswer), redirect(String) }

    private func sendOnce(_ method: String, _ url: String, json: JSONValue?) async throws(GitHubError) -> Step {
        guard let token = token.current() else { throw .disabled }
        let changed = lastToken.withLock { last -> Bool in
            defer { last = token }
            return last != nil && last != token
        }
        if changed { cache.clear() }
        let where_ = "\(method) \(Self.pathOf(url))"
        if let wait = gate.waitBeforeSending() {
            metrics.count(.deferred)
            logger.debug("GitHub request deferred by the rate limit", metadata: ["request": "\(where_)", "retryAfter": "\(wait)"])
            throw .rateLimited(retryAfter: wait)
        }
        var headers = ["Authorization: Bearer \(token)", "Accept: application/vnd.github+json",
                       "X-GitHub-Api-Version: \(GitHubClientOptions.apiVersion)", "User-Agent: \(options.userAgent)"]
        let cached = method == "GET" ? cache[url] : nil
        if let cached { headers.append("If-None-Match: \(cached.etag)") }
        var body: [UInt8]?
        if let json {
            headers.append("Content-Type: application/json")
            body = json.serialized()
        }
        let response: HTTPResponse
        do throws(TransportFailure) {
            response = try await loop.perform(HTTPRequest(method: method, url: url, headers: headers, body: body,
                                                          timeout: options.timeout))
        } catch {
            metrics.count(.unavailable)
            let message = redact(Self.describe(error), token)
            logger.warning("GitHub request failed", metadata: ["request": "\(where_)", "error": "\(message)"])
            throw .unavailable(message)
        }
        let message = redact(Self.message(response.body), token)
        let wait = gate.record(status: response.status, headers: response.headers, message: message)
        if response.headers["x-ratelimit-remaining"] != nil, let remaining = gate.remaining { metrics.recordRemaining(remaining) }
        if let wait {
            metrics.count(.rateLimited)
            logger.warning("GitHub rate limit", metadata: ["request": "\(where_)", "status": "\(response.status)",
                                                           "retryAfter": "\(wait)"])
            throw .rateLimited(retryAfter: wait)
        }
        switch response.status {
        case 301, 302, 307, 308:
            let location = response.headers["location"].map { $0.hasPrefix("/") ? options.origin + $0 : $0 } ?? ""
            guard location.hasPrefix(options.origin + "/") else {
                metrics.count(.rejected)
                throw .rejected(status: response.status, message: "redirect leaves \(options.origin)")
            }
            logger.debug("GitHub redirect", metadata: ["request": "\(where_)", "status": "\(response.status)",
                                                       "location": "\(Self.pathOf(location))"])
            return .redirect(location)
        case 304 where cached != nil:
            metrics.count(.notModified)
            return .answer(GitHubAnswer(status: 200, body: cached!.body, link: cached!.link))
        case 200..<300:
            metrics.count(.ok)
            if method == "GET", let etag = response.headers["etag"] {
                cache.store(.init(etag: etag, body: response.body, link: response.headers["link"]), for: url)
            }
            return .answer(GitHubAnswer(status: response.status, body: response.body, link: response.headers["link"]))
        default:
            let error = Self.error(status: response.status, message: message)
            metrics.count(Self.outcome(error))
            let level: Logger.Level = response.status >= 500 ? .warning : .debug
            logger.log(level: level, "GitHub request refused", metadata: ["request": "\(where_)", "status": "\(response.status)",
                                                                         "message": "\(message)"])
            throw error
        }
    }

    /// The error of a non-2xx, non-rate-limit answer.
    static func error(status: Int, message: String) -> GitHubError {
        switch status {
        case 404, 410: .notFound
        case 401, 403: .unauthorized("HTTP \(status): \(message)")
        case 500...: .unavailable("HTTP \(status): \(message)")
        default: .rejected(status: status, message: message)
        }
    }

    static func outcome(_ e: GitHubError) -> GitHubMetrics.Outcome {
        switch e {
        case .notFound: .notFound
        case .unauthorized: .unauthorized
        case .rateLimited: .rateLimited
        case .unavailable: .unavailable
        case .rejected, .disabled: .rejected
        }
    }

    /// GitHub's `message` plus the `errors[]` details (`field code` or `message`), or a short
    /// prefix of a non-JSON body.
    static func message(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        guard let v = try? JSONValue(parsing: body), let m = v["message"]?.stringValue else {
            return String(String(decoding: body.prefix(200), as: UTF8.self).filter { !$0.isNewline })
        }
        let details = (v["errors"]?.arrayValue ?? []).compactMap { e -> String? in
            if let s = e.stringValue { return s }
            if let s = e["message"]?.stringValue { return s }
            let parts = [e["resource"], e["field"], e["code"]].compactMap { $0?.stringValue }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }
        return details.isEmpty ? m : "\(m): \(details.joined(separator: "; "))"
    }

    static func describe(_ f: TransportFailure) -> String {
        switch f {
        case .curl(let code, let message): "transport error \(code): \(message)"
        case .cancelled: "cancelled"
        case .idle(let d): "no answer for \(d)"
        }
    }

    /// The path and query of a URL (what logs show; never the host's credentials, which URLs do not carry).
    static func pathOf(_ url: String) -> Substring {
        guard let scheme = url.firstRange(of: "://") else { return url[...] }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
    }
}

/// `text` with every occurrence of `token` replaced by `[redacted]`.
func redact(_ text: String, _ token: String) -> String {
    guard !token.isEmpty, text.contains(token) else { return text }
    return text.replacing(token, with: "[redacted]")
}

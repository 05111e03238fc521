import KubeAPI
import KubeClient
import Logging
import Metrics

/// `GitHubAPI` over GitHub's REST API on the shared libcurl transport (docs/github.md).
///
/// Contract (besides `GitHubAPI`'s):
/// - Every request sends `Authorization: Bearer <token>` (the token file is read at each
///   request; no token: `.disabled` without any request), `Accept: application/vnd.github+json`,
///   `X-GitHub-Api-Version: 2022-11-28` and a `User-Agent`.
/// - Lists ask for `per_page=100` and follow `Link: rel="next"` exactly as given, but only on the
///   API's own origin (the token is never sent elsewhere).
/// - GETs are conditional (`If-None-Match` with the cached `ETag`); a 304 is served from the cache.
/// - Rate limits: see `GitHubRateLimitGate`; while one is in force calls throw
///   `.rateLimited(retryAfter:)` without sending.
/// - `now` (UTC epoch seconds) is injectable so tests move time without sleeping.
public final class GitHubRESTClient: GitHubAPI {
    let sender: GitHubRequestSender
    public var options: GitHubClientOptions { sender.options }

    public init(options: GitHubClientOptions, loop: CurlLoop = .shared,
                logger: Logger = Logger(label: "codex-k8s.github"),
                metrics: any MetricsFactory = MetricsSystem.factory,
                now: @escaping @Sendable () -> Double = { KubeTime.now(precision: .micro).secondsSince1970 }) {
        sender = GitHubRequestSender(options: options, loop: loop, logger: logger,
                                     metrics: GitHubMetrics(factory: metrics), now: now)
    }

    /// The budget left in the current rate-limit window, as GitHub last reported it.
    public var rateLimitRemaining: Int? { sender.gate.remaining }

    public func listComments(repository: String, number: Int) async throws(GitHubError) -> [GitHubComment] {
        let values = try await list(try path(repository, "issues", String(number), "comments"), query: "")
        return try values.map { v throws(GitHubError) in try Self.comment(v) }
    }

    public func createComment(repository: String, number: Int, body: String) async throws(GitHubError) -> GitHubComment {
        let a = try await sender.send("POST", try path(repository, "issues", String(number), "comments"),
                                      json: .object(["body": .string(body)]))
        return try Self.comment(try Self.decode(a))
    }

    public func updateComment(repository: String, commentID: Int64, body: String) async throws(GitHubError) -> GitHubComment {
        let a = try await sender.send("PATCH", try path(repository, "issues", "comments", String(commentID)),
                                      json: .object(["body": .string(body)]))
        return try Self.comment(try Self.decode(a))
    }

    public func addLabels(repository: String, number: Int, labels: [String]) async throws(GitHubError) {
        guard !labels.isEmpty else { return }
        _ = try await sender.send("POST", try path(repository, "issues", String(number), "labels"),
                                  json: .object(["labels": .array(labels.map(JSONValue.string))]))
    }

    public func removeLabel(repository: String, number: Int, label: String) async throws(GitHubError) {
        do throws(GitHubError) {
            _ = try await sender.send("DELETE", try path(repository, "issues", String(number), "labels", label))
        } catch .notFound {
            return  // the label (or issue) is not there: the goal is reached
        }
    }

    public func listOpenIssues(repository: String) async throws(GitHubError) -> [GitHubIssue] {
        let values = try await list(try path(repository, "issues"), query: "state=open&")
        return try values.map { v throws(GitHubError) in try Self.issue(v) }
    }

    // MARK: - Plumbing

    /// Every item of every page: the first page with `query` + `per_page`, then each `rel="next"`.
    private func list(_ url: String, query: String) async throws(GitHubError) -> [JSONValue] {
        var next: String? = "\(url)?\(query)per_page=\(options.perPage)"
        var items: [JSONValue] = []
        var pages = 0
        while let page = next {
            pages += 1
            guard pages <= options.maxPages else {
                throw .rejected(status: 200, message: "more than \(options.maxPages) pages")
            }
            let a = try await sender.send("GET", page)
            guard let array = try Self.decode(a).arrayValue else { throw .rejected(status: a.status, message: "expected a JSON array") }
            items += array
            next = GitHubLink.url(a.link, rel: "next")
            if let n = next, !(n == options.origin || n.hasPrefix(options.origin + "/")) {
                throw .rejected(status: a.status, message: "pagination link leaves \(options.origin)")
            }
        }
        return items
    }

    /// `apiURL/repos/{owner}/{name}/…` with every segment percent-encoded.
    private func path(_ repository: String, _ rest: String...) throws(GitHubError) -> String {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .rejected(status: 0, message: "repository must be owner/name, got \"\(repository)\"")
        }
        let segments = ["repos", String(parts[0]), String(parts[1])] + rest
        return options.apiURL + "/" + segments.map(Self.encodeSegment).joined(separator: "/")
    }

    /// RFC 3986 path segment encoding (unreserved characters and `:@!$&'()*+,;=` stay as they are).
    static func encodeSegment(_ s: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:@!$&'()*+,;=".utf8)
        var out = ""
        for b in s.utf8 {
            if allowed.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }

    static func decode(_ a: GitHubAnswer) throws(GitHubError) -> JSONValue {
        do throws(JSONParseError) {
            return try JSONValue(parsing: a.body)
        } catch {
            throw .rejected(status: a.status, message: "undecodable answer: \(error.description)")
        }
    }

    static func comment(_ v: JSONValue) throws(GitHubError) -> GitHubComment {
        guard let id = v["id"]?.intValue else { throw .rejected(status: 200, message: "comment without id") }
        return GitHubComment(id: id, body: v["body"]?.stringValue ?? "", authorLogin: v[path: ["user", "login"]]?.stringValue)
    }

    static func issue(_ v: JSONValue) throws(GitHubError) -> GitHubIssue {
        guard let n = v["number"]?.intValue else { throw .rejected(status: 200, message: "issue without number") }
        let labels = (v["labels"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue ?? $0.stringValue }
        let pr = v["pull_request"].map { !$0.isNull } ?? false
        return GitHubIssue(number: Int(n), title: v["title"]?.stringValue ?? "", labels: labels, isPullRequest: pr,
                           authorLogin: v[path: ["user", "login"]]?.stringValue, body: v["body"]?.stringValue)
    }
}

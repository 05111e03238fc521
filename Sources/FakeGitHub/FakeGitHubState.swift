/// The in-memory GitHub of `FakeGitHubServer`: repositories, issues and pull requests, their
/// labels and comments, the primary rate-limit budget, queued faults and the request log.
///
/// Contract: plain value state, always used under the server's one lock; numbers and ids are
/// allocated like GitHub's (issue numbers per repository from 1, comment ids global and increasing).
struct FakeGitHubState {
    struct Repo {
        var id: Int64
        /// `owner/name` as first spelled; lookups are case-insensitive like GitHub's.
        var fullName: String
        var issues: [Int: Issue] = [:]
        var nextNumber = 1
    }

    struct Issue {
        var id: Int64
        var number: Int
        var title: String
        var body: String?
        var labels: [String]
        var isPullRequest: Bool
        var author: String
        var open: Bool
        var createdAt: Int64
    }

    struct Comment {
        var id: Int64
        var repoKey: String
        var number: Int
        var body: String
        var author: String
        var createdAt: Int64
        var updatedAt: Int64
    }

    var repos: [String: Repo] = [:]
    /// Old names of renamed repositories (lower-cased) → the repository's id.
    var renamed: [String: Int64] = [:]
    var comments: [Int64: Comment] = [:]
    var nextRepoID: Int64 = 1_296_269
    var nextIssueID: Int64 = 1_347_000_000
    var nextCommentID: Int64 = 2_000_000_001
    /// Seconds since 1970 of the next created object (starts 2026-01-01, one second per object).
    var clock: Int64 = 1_767_225_600

    var tokens: Set<String>
    var login: String
    var rateLimit: FakeRateLimit
    var faults: [QueuedFault] = []
    var log: [FakeGitHubRequest] = []

    init(token: String, login: String) {
        tokens = [token]
        self.login = login
        rateLimit = FakeRateLimit()
    }

    static func key(_ repository: String) -> String { repository.lowercased() }

    mutating func tick() -> Int64 {
        clock += 1
        return clock
    }

    mutating func repo(_ repository: String) -> Repo {
        let k = Self.key(repository)
        if let r = repos[k] { return r }
        let r = Repo(id: nextRepoID, fullName: repository)
        nextRepoID += 1
        repos[k] = r
        return r
    }

    mutating func addIssue(repository: String, title: String, body: String?, labels: [String], isPullRequest: Bool,
                           author: String, open: Bool) -> Int {
        var r = repo(repository)
        let number = r.nextNumber
        r.nextNumber += 1
        r.issues[number] = Issue(id: nextIssueID, number: number, title: title, body: body, labels: labels,
                                 isPullRequest: isPullRequest, author: author, open: open, createdAt: tick())
        nextIssueID += 1
        repos[Self.key(repository)] = r
        return number
    }

    mutating func addComment(repository: String, number: Int, body: String, author: String) -> Int64 {
        let id = nextCommentID
        nextCommentID += 1
        let t = tick()
        comments[id] = Comment(id: id, repoKey: Self.key(repository), number: number, body: body, author: author,
                               createdAt: t, updatedAt: t)
        return id
    }

    /// Renames a repository: the old name then answers 301 to `/repositories/{id}/…`, like GitHub.
    mutating func rename(_ old: String, to new: String) {
        guard var r = repos.removeValue(forKey: Self.key(old)) else { return }
        r.fullName = new
        repos[Self.key(new)] = r
        renamed[Self.key(old)] = r.id
        for (id, c) in comments where c.repoKey == Self.key(old) { comments[id]?.repoKey = Self.key(new) }
    }

    /// The comments of one issue, oldest first (GitHub's order for issue comments).
    func comments(repoKey: String, number: Int) -> [Comment] {
        comments.values.filter { $0.repoKey == repoKey && $0.number == number }.sorted { $0.id < $1.id }
    }
}

/// The primary rate limit (`x-ratelimit-*`): every answered request except a 304 spends one.
/// It resets only when a test says so (`FakeGitHubServer.setRateLimit`), never by the clock.
public struct FakeRateLimit: Sendable, Hashable {
    public var limit: Int
    public var remaining: Int
    /// `x-ratelimit-reset`, UTC epoch seconds.
    public var reset: Int64
    public var used: Int { limit - remaining }

    public init(limit: Int = 5000, remaining: Int = 5000, reset: Int64 = 1_767_229_200) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }
}

/// A fault waiting for a matching request.
struct QueuedFault {
    var fault: FakeGitHubFault
    var method: String?
    var pathSuffix: String?
    var remaining: Int

    func matches(method m: String, path: String) -> Bool {
        (method == nil || method == m) && (pathSuffix.map { path.hasSuffix($0) } ?? true)
    }
}

/// What the server answers instead of serving a request (`FakeGitHubServer.failNext`).
public enum FakeGitHubFault: Sendable, Hashable {
    /// This status with GitHub's error body (e.g. 500, 502, 503).
    case status(Int)
    /// A secondary rate limit: 403 or 429, "You have exceeded a secondary rate limit…", with
    /// `retry-after: seconds` when given (GitHub does not always send it).
    case secondaryLimit(status: Int, retryAfter: Int?)
    /// A 422 whose message quotes the request's Authorization header (a hostile server, to prove
    /// the client never surfaces its token).
    case echoAuthorization
    /// The request is served, but its `Link` header says `<url>; rel="next"` (a hostile or
    /// misconfigured server pointing the client at another origin).
    case nextLink(String)
}

/// One request as the server received it, with the status it answered.
public struct FakeGitHubRequest: Sendable, Hashable {
    public var method: String
    /// The path without the query and without the server's path prefix (`/api/v3` for GHES).
    public var path: String
    /// The raw query (without `?`), empty when none.
    public var query: String
    /// Header names lower-cased; repeated headers joined with ",".
    public var headers: [String: String]
    public var body: [UInt8]
    public var status: Int

    /// A query parameter's (percent-decoded) value.
    public func queryItem(_ name: String) -> String? { FakeQuery.parse(query)[name] }
}

import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-memory GitHub REST API (issues, comments, labels) on 127.0.0.1 over plain HTTP/1.1, for
/// tests and the playground. See docs/github.md for what it reproduces.
///
/// Contract:
/// - Serves the endpoints of `GitHubAPI` under `url` (which ends in `pathPrefix`, e.g. `/api/v3`
///   to look like GitHub Enterprise Server), plus `/repositories/{id}/…` aliases that its
///   `Link` headers use, as GitHub's do.
/// - Requires `Authorization: Bearer <token>` with one of `tokens` (401 otherwise).
/// - Paginates every list (`per_page` default 30, max 100; `page`) with GitHub's `Link` header.
/// - GETs carry a weak `ETag`; a matching `If-None-Match` answers 304 without spending the budget.
/// - Records every request (method, path, query, headers, body, status) in `requests`.
/// - Faults (5xx, secondary limits), the primary budget and out-of-band edits (deleting a
///   comment) are controlled by the methods below; nothing changes by the clock.
public final class FakeGitHubServer: Sendable {
    /// A token that looks like a fine-grained personal access token.
    public static let defaultToken = "github_pat_11FAKE0123456789abcdefghijklmnopqrstuvwxyz"

    public let port: Int
    /// `http://127.0.0.1:PORT` plus the path prefix: what a client takes as its API URL.
    public let url: String
    let core: FakeGitHubCore
    private let listener: any Channel

    private init(core: FakeGitHubCore, listener: any Channel, port: Int, url: String) {
        self.core = core
        self.listener = listener
        self.port = port
        self.url = url
    }

    /// Binds an ephemeral port on 127.0.0.1 and starts serving.
    /// - Parameters:
    ///   - token: the token the server accepts (more with `setTokens`).
    ///   - login: the user comments are created as (the token's owner).
    ///   - pathPrefix: `""` like api.github.com, or `/api/v3` like GitHub Enterprise Server.
    public static func start(token: String = defaultToken, login: String = "codex-bot[bot]",
                             pathPrefix: String = "") async throws -> FakeGitHubServer {
        let core = FakeGitHubCore(token: token, login: login, pathPrefix: pathPrefix)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try sync.addHandler(FakeGitHubHTTPHandler(core: core))
                }
            }
        let listener = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        let url = "http://127.0.0.1:\(port)\(pathPrefix)"
        core.base.withLock { $0 = url }
        return FakeGitHubServer(core: core, listener: listener, port: port, url: url)
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        try? await listener.close()
        for c in core.connections.all { c.close(promise: nil) }
    }

    // MARK: - Content

    /// Creates an issue (or pull request) and returns its number (1, 2, … per repository).
    @discardableResult
    public func addIssue(_ repository: String, title: String = "An issue", body: String? = nil, labels: [String] = [],
                         pullRequest: Bool = false, author: String = "octocat", open: Bool = true) -> Int {
        core.state.withLock {
            $0.addIssue(repository: repository, title: title, body: body, labels: labels, isPullRequest: pullRequest,
                        author: author, open: open)
        }
    }

    /// Adds a comment as `author` (default: a human) and returns its id.
    @discardableResult
    public func addComment(_ repository: String, number: Int, body: String, author: String = "octocat") -> Int64 {
        core.state.withLock { $0.addComment(repository: repository, number: number, body: body, author: author) }
    }

    /// The comments of an issue, oldest first.
    public func comments(_ repository: String, number: Int) -> [FakeGitHubComment] {
        core.state.withLock { s in
            s.comments(repoKey: FakeGitHubState.key(repository), number: number)
                .map { FakeGitHubComment(id: $0.id, body: $0.body, author: $0.author) }
        }
    }

    /// The labels of an issue, in the order they were added.
    public func labels(_ repository: String, number: Int) -> [String] {
        core.state.withLock { $0.repos[FakeGitHubState.key(repository)]?.issues[number]?.labels ?? [] }
    }

    /// The repository's numeric id (what `/repositories/{id}/…` and the `Link` URLs use).
    public func repositoryID(_ repository: String) -> Int64? {
        core.state.withLock { $0.repos[FakeGitHubState.key(repository)]?.id }
    }

    /// Renames a repository; requests to the old name get GitHub's 301 to `/repositories/{id}/…`.
    public func renameRepository(_ old: String, to new: String) {
        core.state.withLock { $0.rename(old, to: new) }
    }

    /// Deletes a comment behind the client's back (a user deleting the bot's comment).
    public func deleteComment(id: Int64) {
        _ = core.state.withLock { $0.comments.removeValue(forKey: id) }
    }

    // MARK: - Controls

    /// The tokens accepted from now on (rotation).
    public func setTokens(_ tokens: Set<String>) {
        core.state.withLock { $0.tokens = tokens }
    }

    /// The next `times` requests that match (method, and path suffix such as `/comments`) get
    /// `fault` instead of being served.
    public func failNext(_ fault: FakeGitHubFault, times: Int = 1, method: String? = nil, pathSuffix: String? = nil) {
        core.state.withLock { $0.faults.append(QueuedFault(fault: fault, method: method, pathSuffix: pathSuffix, remaining: times)) }
    }

    /// The primary budget (`remaining` 0: every request is a 403 "API rate limit exceeded").
    public var rateLimit: FakeRateLimit {
        get { core.state.withLock { $0.rateLimit } }
    }

    public func setRateLimit(_ r: FakeRateLimit) {
        core.state.withLock { $0.rateLimit = r }
    }

    /// Every request received so far, in order.
    public var requests: [FakeGitHubRequest] { core.state.withLock { $0.log } }

    public func clearRequests() {
        core.state.withLock { $0.log.removeAll() }
    }
}

/// A comment as a test sees it.
public struct FakeGitHubComment: Sendable, Hashable {
    public var id: Int64
    public var body: String
    public var author: String
}

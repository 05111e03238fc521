/// The slice of the GitHub REST API that codex-k8s uses (issues, comments, labels).
///
/// Contract shared by the libcurl-backed `GitHubRESTClient` and the test doubles:
/// - `repository` is always `owner/name`; numbers are issue or pull-request numbers (GitHub
///   serves PR comments and labels through the issues endpoints).
/// - Every method throws `GitHubError`; a 404 is `.notFound` (a deleted comment, an unknown issue),
///   a rate limit is `.rateLimited(retryAfter:)`, a 5xx or transport failure is `.unavailable`.
/// - List methods return every page (following `Link: rel="next"`), in GitHub's order.
/// - No method ever puts the token in an error, a log line or a returned value.
public protocol GitHubAPI: Sendable {
    /// `GET /repos/{repo}/issues/{number}/comments` (all pages, oldest first).
    func listComments(repository: String, number: Int) async throws(GitHubError) -> [GitHubComment]
    /// `POST /repos/{repo}/issues/{number}/comments`.
    func createComment(repository: String, number: Int, body: String) async throws(GitHubError) -> GitHubComment
    /// `PATCH /repos/{repo}/issues/comments/{id}`; `.notFound` when the comment was deleted.
    func updateComment(repository: String, commentID: Int64, body: String) async throws(GitHubError) -> GitHubComment
    /// `POST /repos/{repo}/issues/{number}/labels` (adds; existing labels stay).
    func addLabels(repository: String, number: Int, labels: [String]) async throws(GitHubError)
    /// `DELETE /repos/{repo}/issues/{number}/labels/{name}`; a label that is not there is success.
    func removeLabel(repository: String, number: Int, label: String) async throws(GitHubError)
    /// `GET /repos/{repo}/issues?state=open&labels=…` (all pages; includes pull requests,
    /// which carry `isPullRequest == true`).
    func listOpenIssues(repository: String) async throws(GitHubError) -> [GitHubIssue]
}

/// A comment on an issue or pull request.
public struct GitHubComment: Sendable, Hashable {
    public var id: Int64
    public var body: String
    public var authorLogin: String?
    public init(id: Int64, body: String, authorLogin: String? = nil) {
        self.id = id
        self.body = body
        self.authorLogin = authorLogin
    }
}

/// An open issue or pull request as listed by `GET /repos/{repo}/issues`.
public struct GitHubIssue: Sendable, Hashable {
    public var number: Int
    public var title: String
    public var labels: [String]
    public var isPullRequest: Bool
    public var authorLogin: String?
    public var body: String?
    public init(number: Int, title: String, labels: [String], isPullRequest: Bool,
                authorLogin: String? = nil, body: String? = nil) {
        self.number = number
        self.title = title
        self.labels = labels
        self.isPullRequest = isPullRequest
        self.authorLogin = authorLogin
        self.body = body
    }
}

/// Why a GitHub call failed. Messages never contain the token.
public enum GitHubError: Error, Sendable, Hashable {
    /// 404 (or 410): the issue, comment or repository is not there (or not visible to the token).
    case notFound
    /// 401/403 without rate-limit headers: the token is missing, wrong or lacks a permission.
    case unauthorized(String)
    /// Primary (`x-ratelimit-remaining: 0`) or secondary limit (403/429 with `retry-after`);
    /// the caller must not call again before `retryAfter` seconds have passed.
    case rateLimited(retryAfter: Double)
    /// 5xx, timeout or transport failure: retry later with back-off.
    case unavailable(String)
    /// Any other 4xx (e.g. 422 validation failure) or an undecodable answer.
    case rejected(status: Int, message: String)
    /// Reporting is off: no token configured.
    case disabled
}

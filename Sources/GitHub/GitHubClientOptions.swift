/// How a `GitHubRESTClient` reaches GitHub (from the operator configuration's `github` section).
public struct GitHubClientOptions: Sendable, Hashable {
    /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server; a trailing
    /// `/` is ignored.
    public var apiURL: String
    /// A file holding the token (a mounted Secret), read at every request so a rotated token is
    /// used at once; `nil`, a missing file or an empty file: every call throws `.disabled`.
    public var tokenFile: String?
    public var userAgent: String
    /// Whole-request limit of one HTTP request (one page).
    public var timeout: Duration
    /// `per_page` of list requests (GitHub allows at most 100).
    public var perPage: Int
    /// A list stops with `.rejected` after this many pages (a pagination loop guard).
    public var maxPages: Int
    /// Bytes of GET answers kept for conditional requests (oldest dropped first).
    public var cacheBytes: Int

    public static let defaultAPIURL = "https://api.github.com"
    /// The REST API version every request asks for.
    public static let apiVersion = "2022-11-28"

    public init(apiURL: String = defaultAPIURL, tokenFile: String? = nil, userAgent: String = "codex-k8s",
                timeout: Duration = .seconds(30), perPage: Int = 100, maxPages: Int = 1000, cacheBytes: Int = 8 << 20) {
        var url = apiURL
        while url.hasSuffix("/") { url.removeLast() }
        self.apiURL = url
        self.tokenFile = tokenFile
        self.userAgent = userAgent
        self.timeout = timeout
        self.perPage = perPage
        self.maxPages = maxPages
        self.cacheBytes = cacheBytes
    }

    /// `scheme://host[:port]` of `apiURL`: pagination links are only followed there, so the token
    /// is never sent to another origin.
    var origin: String {
        guard let scheme = apiURL.firstRange(of: "://") else { return apiURL }
        let rest = apiURL[scheme.upperBound...]
        let host = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
        return String(apiURL[..<scheme.upperBound]) + host
    }
}

import Metrics

/// The client's metrics (SPEC §9):
/// - `codex_github_ratelimit_remaining`: the budget left in the current window (`x-ratelimit-remaining`);
/// - `codex_github_requests_total{outcome}`: requests by outcome — `ok`, `not_modified` (a 304
///   served from the cache), `not_found`, `unauthorized`, `rate_limited` (refused by GitHub),
///   `deferred` (not sent: a known limit is in force), `unavailable` (5xx or transport),
///   `rejected` (other 4xx, undecodable). No label ever holds a token, a URL or a message.
final class GitHubMetrics: Sendable {
    enum Outcome: String, CaseIterable, Sendable {
        case ok, notModified = "not_modified", notFound = "not_found", unauthorized
        case rateLimited = "rate_limited", deferred, unavailable, rejected
    }

    private let remaining: Gauge
    private let requests: [Outcome: Counter]

    init(factory: any MetricsFactory) {
        remaining = Gauge(label: "codex_github_ratelimit_remaining", factory: factory)
        var requests: [Outcome: Counter] = [:]
        for o in Outcome.allCases {
            requests[o] = Counter(label: "codex_github_requests_total", dimensions: [("outcome", o.rawValue)], factory: factory)
        }
        self.requests = requests
    }

    func count(_ outcome: Outcome) { requests[outcome]?.increment() }

    func recordRemaining(_ value: Int) { remaining.record(value) }
}

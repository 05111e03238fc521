import GitHub
import Metrics

/// The reporter's metrics: `codex_github_report_writes_total{kind}` (comment creates and edits,
/// labels, runs created by resync) and `codex_github_report_failures_total{error}` (every failed
/// GitHub call, by `GitHubError` case: a GitHub outage is counted here while it is retried).
final class ReporterMetrics: Sendable {
    enum Write: String, CaseIterable { case commentCreated = "comment_created", commentEdited = "comment_edited",
                                            label, resyncRun = "resync_run" }

    private let writes: [String: Counter]
    private let failures: [String: Counter]

    init(factory: any MetricsFactory) {
        var writes: [String: Counter] = [:]
        for w in Write.allCases {
            writes[w.rawValue] = Counter(label: "codex_github_report_writes_total", dimensions: [("kind", w.rawValue)], factory: factory)
        }
        var failures: [String: Counter] = [:]
        for e in ["not_found", "unauthorized", "rate_limited", "unavailable", "rejected", "disabled"] {
            failures[e] = Counter(label: "codex_github_report_failures_total", dimensions: [("error", e)], factory: factory)
        }
        self.writes = writes
        self.failures = failures
    }

    func wrote(_ kind: Write) { writes[kind.rawValue]?.increment() }

    func failed(_ error: GitHubError) { failures[Self.name(error)]?.increment() }

    static func name(_ error: GitHubError) -> String {
        switch error {
        case .notFound: "not_found"
        case .unauthorized: "unauthorized"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .rejected: "rejected"
        case .disabled: "disabled"
        }
    }
}

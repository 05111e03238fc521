import GitHub
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs
import Synchronization

/// Reports one AgentRun to GitHub (issue 13): its status comment, `state:in-review` when it
/// succeeded, `need:input` when its profile labels conflict. Called by `GitHubReporter`'s own
/// controller (its own queue and workers: reporting never blocks reconciling).
///
/// Guarantees:
/// - One comment per run: created only when neither `status.report.commentID` nor this
///   process's memory knows it and a scan of every page of the issue's comments finds no comment
///   starting with the run's marker; a comment deleted on GitHub (404 on edit) is recreated.
/// - Coalesced: GitHub is written only when the rendered state differs from the last reported
///   state of that target, so a run is edited at most once per phase change; the controller never
///   reconciles one key twice at once, so at most one write per run is in flight.
/// - Durable: every report lands in `status.report` (merge patch of `/status`, touching nothing
///   else); this process also remembers it (by UID) from the moment GitHub accepted it, so a
///   failed status write never causes a second comment.
/// - A rate limit closes the shared `RateLimitGate` for the time GitHub asked; no call is made
///   before it reopens. An outage (`unavailable`) is thrown for the controller's back-off; every
///   failure is counted in `codex_github_report_failures_total`.
public final class RunReporter: Sendable {
    let github: any GitHubAPI
    let client: KubeClient
    let controlNamespace: String
    let gate: RateLimitGate
    let metrics: ReporterMetrics
    let logger: Logger
    /// The report as last known to this process, by AgentRun UID.
    private let memory = Mutex<[String: AgentRunReport]>([:])
    /// The report as this process last wrote it to `status.report`, by AgentRun UID (the cache
    /// may not show it yet: no second write of the same report).
    private let persisted = Mutex<[String: AgentRunReport]>([:])
    private let caches = Mutex<(runs: Store<AgentRun>, namespaces: Store<RunNamespace>)?>(nil)

    init(github: any GitHubAPI, client: KubeClient, controlNamespace: String, gate: RateLimitGate, metrics: ReporterMetrics,
         logger: Logger) {
        self.github = github
        self.client = client
        self.controlNamespace = controlNamespace
        self.gate = gate
        self.metrics = metrics
        self.logger = logger
    }

    func attach(runs: Store<AgentRun>, namespaces: Store<RunNamespace>) {
        caches.withLock { $0 = (runs, namespaces) }
    }

    /// The label added to the issue (and PR) of a succeeded run.
    public static let inReviewLabel = "state:in-review"
    /// The label added when a person must act (a profile or trigger conflict).
    public static let needInputLabel = "need:input"

    public func reconcile(_ key: ObjectKey) async throws -> Action {
        if let wait = gate.remaining() { return .requeue(after: wait) }
        guard let stores = caches.withLock({ $0 }) else { return .awaitChange }
        guard let run = stores.runs.get(key), let name = run.metadata.name else {
            forget(keeping: Set(stores.runs.list().compactMap(\.metadata.uid)))
            return .awaitChange
        }
        let uid = run.metadata.uid ?? name
        let stored = run.status?.report ?? AgentRunReport()
        var report = memory.withLock { $0[uid] } ?? stored
        let rns = run.status?.namespace.flatMap { stores.namespaces.get(ObjectKey(namespace: nil, name: $0)) }
        let comment = StatusComment(run: run, fate: StatusComment.fate(of: run, runNamespace: rns), controlNamespace: controlNamespace)
        var failure: GitHubError?
        do throws(GitHubError) {
            try await reportComment(run, comment, &report, uid: uid)
            try await reportLabels(run, &report, uid: uid)
        } catch {
            failure = error
        }
        if report != (persisted.withLock { $0[uid] } ?? stored) {
            try await persist(run, report)
            persisted.withLock { $0[uid] = report }
        }
        guard let failure else { return .awaitChange }
        metrics.failed(failure)
        switch failure {
        case .rateLimited(let after):
            gate.close(for: after)
            logger.warning("GitHub rate limit: reporting pauses", metadata: ["run": "\(name)", "retryAfterSeconds": "\(after)"])
            return .requeue(after: gate.remaining() ?? .seconds(1))
        case .unavailable(let why):
            throw ReportFailure(run: name, detail: why)
        case .unauthorized(let why):
            logger.error("GitHub refused the token; fix github.tokenFile", metadata: ["run": "\(name)", "error": "\(why)"])
            return .requeue(after: .seconds(300))
        case .disabled:
            // The token file is empty or missing: it is re-read at every call, so try again later.
            return .requeue(after: .seconds(60))
        case .notFound, .rejected:
            logger.warning("GitHub report dropped until the run changes", metadata: ["run": "\(name)", "error": "\(failure)"])
            return .awaitChange
        }
    }

    /// The issue or pull request the run's comment lives on.
    static func thread(of run: AgentRun) -> Int { Int(run.spec.pullRequest ?? run.spec.issue) }

    private func remember(_ report: AgentRunReport, uid: String) {
        memory.withLock { $0[uid] = report }
    }

    func reportComment(_ run: AgentRun, _ comment: StatusComment, _ report: inout AgentRunReport,
                       uid: String) async throws(GitHubError) {
        if report.commentID != nil && report.state(of: .comment) == comment.state { return }
        let repo = run.spec.repository, number = Self.thread(of: run)
        if let id = report.commentID {
            do throws(GitHubError) {
                _ = try await github.updateComment(repository: repo, commentID: id, body: comment.body)
                metrics.wrote(.commentEdited)
                report.set(.comment, comment.state)
                remember(report, uid: uid)
                return
            } catch .notFound {
                // Deleted on GitHub: recreate below (a deleted comment cannot come back).
                logger.info("status comment was deleted; recreating it", metadata: ["run": "\(run.metadata.name ?? "")"])
            }
        } else {
            let marker = StatusComment.marker(run: run.metadata.name ?? "")
            let found = try await github.listComments(repository: repo, number: number).first { $0.body.hasPrefix(marker) }
            if let found {
                if found.body != comment.body {
                    _ = try await github.updateComment(repository: repo, commentID: found.id, body: comment.body)
                    metrics.wrote(.commentEdited)
                }
                report.commentID = found.id
                report.set(.comment, comment.state)
                remember(report, uid: uid)
                return
            }
        }
        let created = try await github.createComment(repository: repo, number: number, body: comment.body)
        metrics.wrote(.commentCreated)
        report.commentID = created.id
        report.set(.comment, comment.state)
        remember(report, uid: uid)
    }

    /// A run that failed before admission because of its labels (profile conflict or catalog
    /// miss): nothing was created and a person must fix the labels.
    static func needsInput(_ run: AgentRun) -> Bool {
        run.status?.phase == .failed && run.status?.reason == .failedPrecondition && run.status?.namespace == nil
    }

    func reportLabels(_ run: AgentRun, _ report: inout AgentRunReport, uid: String) async throws(GitHubError) {
        let repo = run.spec.repository
        if run.status?.phase == .succeeded {
            if report.state(of: .issueLabels) != Self.inReviewLabel {
                try await github.addLabels(repository: repo, number: Int(run.spec.issue), labels: [Self.inReviewLabel])
                metrics.wrote(.label)
                report.set(.issueLabels, Self.inReviewLabel)
                remember(report, uid: uid)
            }
            if let pr = run.spec.pullRequest, pr != run.spec.issue, report.state(of: .pullRequestLabels) != Self.inReviewLabel {
                try await github.addLabels(repository: repo, number: Int(pr), labels: [Self.inReviewLabel])
                metrics.wrote(.label)
                report.set(.pullRequestLabels, Self.inReviewLabel)
                remember(report, uid: uid)
            }
        }
        if Self.needsInput(run), report.state(of: .needInput) != Self.needInputLabel {
            try await github.addLabels(repository: repo, number: Self.thread(of: run), labels: [Self.needInputLabel])
            metrics.wrote(.label)
            report.set(.needInput, Self.needInputLabel)
            remember(report, uid: uid)
        }
    }

    /// Writes `status.report` (merge patch of `/status`: nothing else changes, no conflict with
    /// the reconciler's writes). A run deleted meanwhile is not an error.
    func persist(_ run: AgentRun, _ report: AgentRunReport) async throws {
        var value: [String: JSONValue] = [:]
        if let id = report.commentID { value["commentID"] = .int(id) }
        value["targets"] = .array((report.targets ?? []).map { .object(["target": .string($0.target.rawValue), "state": .string($0.state)]) })
        do {
            _ = try await client.patchStatus(AgentRun.self, namespace: run.metadata.namespace, name: run.metadata.name ?? "",
                                             .merge(["status": ["report": .object(value)]]))
        } catch {
            guard error.isNotFound else { throw error }
        }
    }

    /// Forgets the runs that are gone (called when a key has no object any more).
    func forget(keeping uids: Set<String>) {
        memory.withLock { m in m = m.filter { uids.contains($0.key) } }
        persisted.withLock { m in m = m.filter { uids.contains($0.key) } }
    }
}

/// GitHub could not be reached for a run's report; the controller retries with back-off.
struct ReportFailure: Error, CustomStringConvertible {
    var run: String
    var detail: String
    var description: String { "reporting run \(run) to GitHub failed: \(detail)" }
}

import GitHub
import KubeAPI
import Runs
import Webhook

extension MissedTriggerResync {
    /// The marker of a trigger-conflict comment.
    static func conflictMarker(_ labels: [String]) -> String {
        "<!-- codex-k8s:need-input=trigger-conflict:\(labels.joined(separator: ",")) -->"
    }

    /// Resyncs one open issue or pull request.
    func resync(_ issue: GitHubIssue, repository: String, into outcome: inout ResyncOutcome) async throws {
        let scope: LabelScope = issue.isPullRequest ? .pullRequest : .issue
        let decision = LabelDecision(issue.labels.map { RunLabel(name: $0, scope: scope) })
        let triggers = decision.triggers(in: scope)
        guard let first = triggers.first else { return }
        // `state:*` / `need:*`: the issue is past its trigger or waits for a person.
        if !decision.ignored.isEmpty { return }
        let plan = try planner.plan(envelope(issue, repository: repository, label: first.label),
                                    payload: payload(issue, repository: repository, label: first.label), history: executor.cache)
        switch plan {
        case .ignore(.triggerConflict, _):
            try await markConflict(issue, repository: repository, labels: triggers.map(\.label))
            outcome.conflicts.append("\(repository)#\(issue.number)")
        case .create(var spec):
            let key = TriggerKey(spec)
            let exists = executor.cache.store.list().contains { TriggerKey($0.spec) == key && $0.spec.pullRequest == spec.pullRequest }
            if exists { return }
            spec.trigger?.action = "resync"
            switch await executor.create(spec, deliveryID: Self.deliveryID(repository: repository, number: issue.number,
                                                                            label: first.label)) {
            case .created(let run):
                metrics.wrote(.resyncRun)
                outcome.created.append(run)
            case .unavailable(let why), .invalid(let why):
                logger.warning("resync could not create the run of \(repository)#\(issue.number): \(why)")
            default:
                break
            }
        default:
            return
        }
    }

    /// A stable delivery id per repository, number and label: the run name derives from it.
    static func deliveryID(repository: String, number: Int, label: String) -> String {
        "resync-" + Fingerprint.of("\(repository.lowercased())#\(number) \(label)")
    }

    /// `need:input` and one comment naming the conflicting labels (a comment with the same
    /// marker is never posted twice).
    func markConflict(_ issue: GitHubIssue, repository: String, labels: [String]) async throws(GitHubError) {
        let marker = Self.conflictMarker(labels)
        let comments = try await github.listComments(repository: repository, number: issue.number)
        if !comments.contains(where: { $0.body.hasPrefix(marker) }) {
            let what = issue.isPullRequest ? "pull request" : "issue"
            let body = marker + "\n**codex-k8s needs input** (`need:input`): this \(what) carries \(labels.count) trigger labels ("
                + labels.map { "`\($0)`" }.joined(separator: ", ") + "), so no run was started. Keep exactly one.\n"
            _ = try await github.createComment(repository: repository, number: issue.number, body: body)
            metrics.wrote(.commentCreated)
        }
        try await github.addLabels(repository: repository, number: issue.number, labels: [RunReporter.needInputLabel])
        metrics.wrote(.label)
    }

    func envelope(_ issue: GitHubIssue, repository: String, label: String) -> DeliveryEnvelope {
        DeliveryPlanner.envelope(event: issue.isPullRequest ? "pull_request" : "issues",
                                 deliveryID: Self.deliveryID(repository: repository, number: issue.number, label: label),
                                 payload: payload(issue, repository: repository, label: label), receivedAt: KubeTime.now(precision: .micro))
    }

    /// The `issues/labeled` (or `pull_request/labeled`) delivery GitHub would have sent.
    func payload(_ issue: GitHubIssue, repository: String, label: String) -> JSONValue {
        let labels: JSONValue = .array(issue.labels.map { .object(["name": .string($0)]) })
        var item: [String: JSONValue] = ["number": .int(Int64(issue.number)), "title": .string(issue.title), "labels": labels]
        if let body = issue.body { item["body"] = .string(body) }
        return .object([
            "action": "labeled",
            issue.isPullRequest ? "pull_request" : "issue": .object(item),
            "label": .object(["name": .string(label)]),
            "repository": .object(["full_name": .string(repository)]),
            "sender": .object(["login": .string(issue.authorLogin ?? "codex-k8s-resync"), "type": "User"]),
        ])
    }
}

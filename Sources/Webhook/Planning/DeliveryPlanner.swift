import KubeAPI
import Runs

/// What the planner may ask about runs that already exist (answered from the AgentRun watch cache).
public protocol RunHistory: Sendable {
    /// The most recently created AgentRun of a pull request, or nil.
    func latestRun(repository: String, pullRequest: Int64) -> AgentRun?
}

/// The envelope of a delivery: headers and the fields every handled event carries.
public struct DeliveryEnvelope: Sendable, Hashable {
    public var event: String
    public var deliveryID: String
    public var action: String?
    public var repository: String?
    public var sender: String?
    public var receivedAt: KubeTime
}

/// Turns a verified delivery into a `DeliveryPlan` (SPEC §4). Pure: reads only its inputs.
///
/// Order of decisions: `ping` → pong; unknown event → ignored; malformed fields → `PayloadError`
/// (400); repository not allowed → forbidden (403); unknown action → ignored; a bot sender →
/// ignored; then the event's own rules.
public struct DeliveryPlanner: Sendable {
    public static let handledEvents: Set<String> = ["issues", "pull_request", "pull_request_review"]

    public var settings: WebhookSettings

    public init(settings: WebhookSettings) { self.settings = settings }

    /// The envelope fields of `payload` (lenient: used for audit even when planning fails).
    public static func envelope(event: String, deliveryID: String, payload: JSONValue, receivedAt: KubeTime) -> DeliveryEnvelope {
        DeliveryEnvelope(event: event, deliveryID: deliveryID, action: payload["action"]?.stringValue,
                         repository: payload[path: ["repository", "full_name"]]?.stringValue,
                         sender: payload[path: ["sender", "login"]]?.stringValue, receivedAt: receivedAt)
    }

    public func plan(_ envelope: DeliveryEnvelope, payload json: JSONValue, history: any RunHistory) throws(PayloadError) -> DeliveryPlan {
        if envelope.event == "ping" { return .pong }
        guard Self.handledEvents.contains(envelope.event) else { return .ignore(.unsupportedEvent) }
        let p = GitHubPayload(json)
        guard json.objectValue != nil else { throw PayloadError(field: "(body)", expected: "JSON object") }
        let action = try p.string("action")
        let repository = try p.string("repository", "full_name")
        guard RunValidation.isRepository(repository) else { throw PayloadError(field: "repository.full_name", expected: "owner/name") }
        let login = try p.string("sender", "login")
        let senderType = try p.string("sender", "type")
        guard isAllowed(repository: repository) else { return .forbidden(repository: repository) }
        let trigger = RunTrigger(source: .github, deliveryID: envelope.deliveryID, event: envelope.event, action: action,
                                 sender: login, receivedAt: envelope.receivedAt)
        switch (envelope.event, action) {
        case ("issues", "labeled"), ("issues", "unlabeled"), ("issues", "closed"),
             ("pull_request", "labeled"), ("pull_request", "closed"), ("pull_request_review", "submitted"):
            break
        default:
            return .ignore(.unsupportedAction)
        }
        guard senderType == "User" || settings.allowedBots.contains(where: { $0.lowercased() == login.lowercased() }) else {
            return .ignore(.senderNotUser)
        }
        switch (envelope.event, action) {
        case ("issues", _): return try issues(p, action: action, repository: repository, trigger: trigger)
        case ("pull_request", _): return try pullRequest(p, action: action, repository: repository, trigger: trigger, history: history)
        default: return try review(p, repository: repository, trigger: trigger, history: history)
        }
    }

    /// Whether `webhook.allowedRepositories` allows `repository` (empty allows every one).
    public func isAllowed(repository: String) -> Bool {
        if settings.allowedRepositories.isEmpty { return true }
        let repo = repository.lowercased()
        return settings.allowedRepositories.contains { pattern in
            let p = pattern.lowercased()
            if p.hasSuffix("/*") { return repo.hasPrefix(String(p.dropLast())) }
            return p == repo
        }
    }

    private func issues(_ p: GitHubPayload, action: String, repository: String, trigger: RunTrigger) throws(PayloadError) -> DeliveryPlan {
        let issue = try p.number("issue", "number")
        if p.has("issue", "pull_request") { return .ignore(.issueIsPullRequest) }
        if action == "closed" { return .cancel(.issue(repository: repository, issue: issue), endLeasesOfIssue: issue) }
        let label = try p.string("label", "name")
        guard case .trigger(let stage, let revise) = LabelVocabulary.classify(label) else { return .ignore(.notATrigger) }
        if action == "unlabeled" {
            return .cancel(.trigger(TriggerKey(repository: repository, issue: issue, stage: stage, revise: revise)), endLeasesOfIssue: nil)
        }
        var labels = try p.labels("issue", "labels", scope: .issue)
        if !labels.contains(where: { $0.name == label }) && labels.count < RunValidation.maxLabels {
            labels.append(RunLabel(name: label, scope: .issue))
        }
        let decision = LabelDecision(labels)
        if decision.triggers(in: .issue).count > 1 { return .ignore(.triggerConflict) }
        var t = trigger
        t.label = label
        return .create(AgentRunSpec(repository: repository, issue: issue, stage: stage, revise: revise, labels: labels,
                                    debug: decision.debug ? true : nil, trigger: t))
    }

    private func pullRequest(_ p: GitHubPayload, action: String, repository: String, trigger: RunTrigger,
                             history: any RunHistory) throws(PayloadError) -> DeliveryPlan {
        let number = try p.number("pull_request", "number")
        let body = try p.optionalString("pull_request", "body")
        let issue = resolveIssue(repository: repository, pullRequest: number, body: body, history: history)
        if action == "closed" {
            return .cancel(.pullRequest(repository: repository, pullRequest: number), endLeasesOfIssue: issue)
        }
        let label = try p.string("label", "name")
        guard case .trigger(let stage, let revise) = LabelVocabulary.classify(label) else { return .ignore(.notATrigger) }
        var labels = try p.labels("pull_request", "labels", scope: .pullRequest)
        if !labels.contains(where: { $0.name == label }) && labels.count < RunValidation.maxLabels {
            labels.append(RunLabel(name: label, scope: .pullRequest))
        }
        let decision = LabelDecision(labels)
        if decision.triggers(in: .pullRequest).count > 1 { return .ignore(.triggerConflict) }
        var t = trigger
        t.label = label
        return .create(AgentRunSpec(repository: repository, issue: issue, pullRequest: number, stage: stage, revise: revise,
                                    labels: labels, debug: decision.debug ? true : nil, trigger: t))
    }

    private func review(_ p: GitHubPayload, repository: String, trigger: RunTrigger,
                        history: any RunHistory) throws(PayloadError) -> DeliveryPlan {
        let number = try p.number("pull_request", "number")
        let state = try p.string("review", "state")
        let body = try p.optionalString("pull_request", "body")
        let labels = try p.labels("pull_request", "labels", scope: .pullRequest)
        guard state.lowercased() == "changes_requested" else { return .ignore(.reviewNotChangesRequested) }
        let decision = LabelDecision(labels)
        let stages = decision.stages(in: .pullRequest)
        let stage: Stage
        if stages.count == 1 {
            stage = stages[0]
        } else if stages.count > 1 {
            return .ignore(.stageAmbiguous, candidates: stages)
        } else if let previous = history.latestRun(repository: repository, pullRequest: number) {
            stage = previous.spec.stage
        } else {
            return .ignore(.stageNotResolved)
        }
        guard stage.allowsRevise else { return .ignore(.stageNotRevisable) }
        let issue = resolveIssue(repository: repository, pullRequest: number, body: body, history: history)
        return .create(AgentRunSpec(repository: repository, issue: issue, pullRequest: number, stage: stage, revise: true,
                                    labels: labels, debug: decision.debug ? true : nil, trigger: trigger))
    }

    /// SPEC §4: the single issue the PR body closes, else the issue of the PR's latest run, else the PR number.
    func resolveIssue(repository: String, pullRequest: Int64, body: String?, history: any RunHistory) -> Int64 {
        if let closes = ClosingReference.singleIssue(in: body) { return closes }
        if let previous = history.latestRun(repository: repository, pullRequest: pullRequest) { return previous.spec.issue }
        return pullRequest
    }
}

import Audit
import Foundation
import KubeAPI
import Logging
import Runs

/// One POST to `/webhooks/github`, as read from HTTP (the body already bounded by the limit).
public struct WebhookRequest: Sendable {
    public var contentType: String?
    /// `X-GitHub-Event`.
    public var event: String?
    /// `X-GitHub-Delivery`.
    public var deliveryID: String?
    /// `X-Hub-Signature-256`.
    public var signature: String?
    public var body: [UInt8]

    public init(contentType: String?, event: String?, deliveryID: String?, signature: String?, body: [UInt8]) {
        self.contentType = contentType
        self.event = event
        self.deliveryID = deliveryID
        self.signature = signature
        self.body = body
    }
}

/// The two body encodings GitHub offers.
public enum WebhookMediaType: Sendable, Hashable {
    case json, form

    /// `application/json` or `application/x-www-form-urlencoded` (parameters ignored), else nil (415).
    public init?(contentType: String?) {
        guard let contentType else { return nil }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingCharacters(in: .whitespaces).lowercased() }
        switch media {
        case "application/json": self = .json
        case "application/x-www-form-urlencoded": self = .form
        default: return nil
        }
    }
}

/// The webhook adapter without HTTP: checks a delivery, plans it, carries the plan out, and
/// records the answer in the audit trail and the metrics (SPEC §4, §8).
///
/// Contract: the answer follows SPEC §4 exactly; nothing is read from the body before the
/// signature matched; no 2xx is given for work that did not happen; every answered request is
/// counted, and every request with a delivery id gets a `webhook_deliveries` row; signatures and
/// secrets are never logged or audited.
public final class WebhookAdapter: Sendable {
    public let secrets: WebhookSecrets
    public let planner: DeliveryPlanner
    public let executor: DeliveryExecutor
    public let audit: any AuditSink
    public let metrics: WebhookMetrics
    let logger: Logger

    public init(secrets: WebhookSecrets, planner: DeliveryPlanner, executor: DeliveryExecutor, audit: any AuditSink,
                metrics: WebhookMetrics, logger: Logger = Logger(label: "codex-k8s.webhook")) {
        self.secrets = secrets
        self.planner = planner
        self.executor = executor
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
    }

    /// Answers one request and records it.
    public func handle(_ request: WebhookRequest) async -> WebhookAnswer {
        let started = ContinuousClock.now
        let receivedAt = KubeTime.now(precision: .micro)
        var envelope: DeliveryEnvelope?
        let answer = await answer(request, receivedAt: receivedAt, envelope: &envelope)
        finish(answer, request: request, envelope: envelope, receivedAt: receivedAt, started: started)
        return answer
    }

    /// Records an answer given before the adapter saw the request (405, 413, 415 from the HTTP layer).
    public func record(_ answer: WebhookAnswer, request: WebhookRequest, started: ContinuousClock.Instant) {
        finish(answer, request: request, envelope: nil, receivedAt: KubeTime.now(precision: .micro), started: started)
    }

    static func isToken(_ s: String, max: Int) -> Bool {
        !s.isEmpty && s.utf8.count <= max && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private func answer(_ request: WebhookRequest, receivedAt: KubeTime, envelope: inout DeliveryEnvelope?) async -> WebhookAnswer {
        guard let media = WebhookMediaType(contentType: request.contentType) else { return .unsupportedMediaType }
        guard let event = request.event, Self.isToken(event, max: 64) else { return .badHeader("X-GitHub-Event is missing or malformed") }
        guard let deliveryID = request.deliveryID, Self.isToken(deliveryID, max: 128) else {
            return .badHeader("X-GitHub-Delivery is missing or malformed")
        }
        guard HubSignature.verify(header: request.signature, body: request.body, secrets: secrets.current()) else { return .badSignature }
        let raw: [UInt8]
        switch media {
        case .json: raw = request.body
        case .form:
            guard let payload = FormPayload.extract(request.body) else { return .malformed("form body without a valid payload= field") }
            raw = payload
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: raw, maxDepth: 64)
        } catch {
            return .malformed(error.description)
        }
        let env = DeliveryPlanner.envelope(event: event, deliveryID: deliveryID, payload: json, receivedAt: receivedAt)
        envelope = env
        audit.emit(.webhookReceived(deliveryID: deliveryID, event: event, action: env.action, sender: env.sender),
                   subject: AuditSubject(repository: env.repository), actor: Self.actor(env))
        let plan: DeliveryPlan
        do {
            plan = try planner.plan(env, payload: json, history: executor.cache)
        } catch {
            return .malformed(error.description)
        }
        switch plan {
        case .pong: return .pong
        case .forbidden(let repository): return .forbidden(repository: repository)
        case .ignore(let reason, let candidates):
            if reason == .stageAmbiguous || reason == .stageNotResolved {
                // SPEC §4: no run, and the audit records that the PR needs input (`need:input`).
                audit.emit(.reviseStageAmbiguous(deliveryID: deliveryID, candidates: candidates.map(\.rawValue)),
                           subject: AuditSubject(repository: env.repository, pullRequest: Self.pullRequest(json)), actor: Self.actor(env))
            }
            return .ignored(reason.rawValue)
        case .create(let spec):
            switch await executor.create(spec, deliveryID: deliveryID) {
            case .created(let run): return .accepted(run: run)
            case .duplicate(let run, let reason): return .duplicate(run: run, reason: reason)
            case .invalid(let message): return .malformed(message)
            case .unavailable(let message): return .unavailable(message)
            case .cancelled, .nothingToCancel: return .unavailable("unexpected outcome")
            }
        case .cancel(let target, let issue):
            switch await executor.cancel(target, repository: env.repository ?? "", endLeasesOfIssue: issue) {
            case .cancelled(let runs): return .cancelRequested(runs: runs)
            case .nothingToCancel: return .ignored(IgnoreReason.noActiveRuns.rawValue)
            case .unavailable(let message): return .unavailable(message)
            case .invalid(let message): return .malformed(message)
            case .created, .duplicate: return .unavailable("unexpected outcome")
            }
        }
    }

    static func actor(_ env: DeliveryEnvelope) -> String { env.sender.map { "github:\($0)" } ?? "webhook" }

    static func pullRequest(_ json: JSONValue) -> Int? {
        json[path: ["pull_request", "number"]]?.intValue.flatMap { Int(exactly: $0) }
    }

    private func finish(_ answer: WebhookAnswer, request: WebhookRequest, envelope: DeliveryEnvelope?, receivedAt: KubeTime,
                        started: ContinuousClock.Instant) {
        let verified = envelope != nil
        if let env = envelope {
            let subject = AuditSubject(run: answer.run, repository: env.repository)
            switch answer.outcome {
            case .duplicate:
                audit.emit(.webhookDuplicate(deliveryID: env.deliveryID, existingRun: answer.run), subject: subject, actor: Self.actor(env))
            case .ignored, .rejected:
                audit.emit(.webhookIgnored(deliveryID: env.deliveryID, reason: answer.reason), subject: subject, actor: Self.actor(env))
            default: break
            }
        }
        if let id = request.deliveryID, Self.isToken(id, max: 128) {
            // Unverified requests are recorded with their headers only: nothing from an unsigned body.
            audit.recordDelivery(WebhookDeliveryRecord(
                deliveryID: id, event: request.event.map { String($0.prefix(64)) } ?? "", action: verified ? envelope?.action : nil,
                repository: envelope?.repository, sender: envelope?.sender,
                outcome: WebhookDeliveryRecord.Outcome(rawValue: answer.outcome.rawValue) ?? .failed,
                reason: answer.reason, run: answer.run ?? answer.runs?.first, receivedAt: receivedAt))
        }
        metrics.observe(event: request.event, action: envelope?.action, outcome: answer.outcome, duration: ContinuousClock.now - started)
        logger.info("webhook delivery", metadata: [
            "delivery": .string(request.deliveryID.map { String($0.prefix(128)) } ?? ""), "event": .string(request.event.map { String($0.prefix(64)) } ?? ""),
            "status": .stringConvertible(answer.code), "outcome": .string(answer.outcome.rawValue), "reason": .string(answer.reason),
        ])
    }
}

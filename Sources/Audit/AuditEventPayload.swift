import KubeAPI

extension AuditEvent {
    /// The event's payload fields as a flat JSON object (sanitized; optional fields omitted when nil).
    public var payload: JSONValue {
        var fields: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String?, limit: Int = AuditText.fieldLimit) {
            if let value { fields[key] = .string(AuditText.sanitize(value, limit: limit)) }
        }
        func put(_ key: String, _ value: KubeTime?) {
            if let value { fields[key] = .string(value.rfc3339) }
        }
        switch self {
        case .webhookReceived(let deliveryID, let event, let action, let sender):
            put("deliveryID", deliveryID); put("event", event); put("action", action); put("sender", sender)
        case .webhookDuplicate(let deliveryID, let existingRun):
            put("deliveryID", deliveryID); put("existingRun", existingRun)
        case .webhookIgnored(let deliveryID, let reason):
            put("deliveryID", deliveryID); put("reason", reason)
        case .runCreated(let stage, let revise, let source, let deliveryID):
            put("stage", stage); fields["revise"] = .bool(revise); put("source", source.rawValue)
            put("deliveryID", deliveryID)
        case .runStarted(let namespace, let jobName, let model, let reasoning):
            put("namespace", namespace); put("jobName", jobName); put("model", model); put("reasoning", reasoning)
        case .runSucceeded(let durationSeconds):
            fields["durationSeconds"] = .int(durationSeconds)
        case .runFailed(let reason, let message), .runFailedPrecondition(let reason, let message):
            put("reason", reason); put("message", message, limit: AuditText.messageLimit)
        case .runCanceled(let cause):
            put("cause", cause)
        case .runWaitPaused(let wait):
            put("wait", wait.rawValue)
        case .runWaitResumed(let wait, let waitedSeconds):
            put("wait", wait.rawValue); fields["waitedSeconds"] = .int(waitedSeconds)
        case .namespacePrepared(let namespace, let mode, let leaseExpiresAt):
            put("namespace", namespace); put("mode", mode); put("leaseExpiresAt", leaseExpiresAt)
        case .namespaceTTLScheduled(let namespace, let leaseExpiresAt, let cause):
            put("namespace", namespace); put("leaseExpiresAt", leaseExpiresAt); put("cause", cause)
        case .namespaceTTLExtended(let namespace, let leaseExpiresAt),
             .namespaceReused(let namespace, let leaseExpiresAt):
            put("namespace", namespace); put("leaseExpiresAt", leaseExpiresAt)
        case .namespaceReuseMissed(let cause, let previousNamespace):
            put("cause", cause); put("previousNamespace", previousNamespace)
        case .namespaceSuperseded(let namespace, let supersededBy, let leaseExpiresAt):
            put("namespace", namespace); put("supersededBy", supersededBy); put("leaseExpiresAt", leaseExpiresAt)
        case .namespaceCleaned(let namespace):
            put("namespace", namespace)
        case .namespaceCleanupSkipped(let namespace, let reason, let retainUntil):
            put("namespace", namespace); put("reason", reason); put("retainUntil", retainUntil)
        case .namespaceCleanupFailed(let namespace, let error):
            put("namespace", namespace); put("error", error, limit: AuditText.messageLimit)
        case .reviseStageAmbiguous(let deliveryID, let candidates):
            put("deliveryID", deliveryID)
            fields["candidates"] = .array(candidates.prefix(32).map { .string(AuditText.sanitize($0)) })
            fields["need"] = .string("need:input")
        }
        return .object(fields)
    }

    /// Kubernetes Event type: `Warning` for failures and anomalies, `Normal` otherwise.
    public var isWarning: Bool {
        switch name {
        case .runFailed, .runFailedPrecondition, .namespaceReuseMissed, .namespaceCleanupFailed,
             .reviseStageAmbiguous:
            true
        default:
            false
        }
    }

    /// Kubernetes Event `reason` (UpperCamelCase, as `kubectl describe` shows it).
    public var reason: String { Self.reasons[name]! }

    /// `run.namespace.cleanup_skipped` → `RunNamespaceCleanupSkipped`, computed once.
    private static let reasons: [Name: String] = Dictionary(uniqueKeysWithValues: Name.allCases.map { name in
        (name, name.rawValue.split(whereSeparator: { $0 == "." || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
    })

    /// Kubernetes Event `action`: what the controller did or tried to do.
    public var action: String {
        switch name {
        case .webhookReceived, .webhookDuplicate, .webhookIgnored: "ReceiveDelivery"
        case .runCreated: "CreateRun"
        case .runStarted: "StartJob"
        case .runSucceeded, .runFailed, .runFailedPrecondition: "ObserveRun"
        case .runCanceled: "CancelRun"
        case .runWaitPaused, .runWaitResumed: "ObserveWait"
        case .namespacePrepared: "ProvisionNamespace"
        case .namespaceTTLScheduled, .namespaceTTLExtended, .namespaceSuperseded: "UpdateLease"
        case .namespaceReused, .namespaceReuseMissed: "ReuseNamespace"
        case .namespaceCleaned, .namespaceCleanupSkipped, .namespaceCleanupFailed: "CleanupNamespace"
        case .reviseStageAmbiguous: "ResolveStage"
        }
    }

    /// A one-line human note (`name key=value …`, keys sorted), at most 1 KiB as Kubernetes allows.
    public var note: String { note(payload: payload) }

    /// The note built from `payload`, which must be this event's `payload` (callers that already
    /// built it pass it here instead of building it a second time). Same text as `note`.
    func note(payload: JSONValue) -> String {
        guard case .object(let fields) = payload else { return name.rawValue }
        var text = name.rawValue
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            text.append(" ")
            text.append(key)
            text.append("=")
            if let string = value.stringValue { text.append(string) } else { text.append(value.jsonString()) }
        }
        return AuditText.sanitize(text, limit: 1024)
    }
}

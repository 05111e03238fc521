import KubeAPI

/// The catalog of audit events (SPEC §8): every event the operator and the webhook adapter may emit,
/// each with the payload fields it carries. Callers cannot emit anything else.
///
/// Payloads are small and flat: identifiers, reasons and times — never a raw GitHub payload, a
/// token or a secret. Free-text values are sanitized and bounded when encoded (`AuditText`).
public enum AuditEvent: Sendable, Hashable {
    // MARK: webhook
    case webhookReceived(deliveryID: String, event: String, action: String?, sender: String?)
    case webhookDuplicate(deliveryID: String, existingRun: String?)
    case webhookIgnored(deliveryID: String, reason: String)
    // MARK: run lifecycle
    case runCreated(stage: String, revise: Bool, source: RunSource, deliveryID: String?)
    case runStarted(namespace: String, jobName: String, model: String, reasoning: String)
    case runSucceeded(durationSeconds: Int64)
    case runFailed(reason: String, message: String)
    case runCanceled(cause: String)
    case runFailedPrecondition(reason: String, message: String)
    case runWaitPaused(wait: WaitKind)
    case runWaitResumed(wait: WaitKind, waitedSeconds: Int64)
    // MARK: run namespaces
    case namespacePrepared(namespace: String, mode: String, leaseExpiresAt: KubeTime)
    case namespaceTTLScheduled(namespace: String, leaseExpiresAt: KubeTime, cause: String)
    case namespaceTTLExtended(namespace: String, leaseExpiresAt: KubeTime)
    case namespaceReused(namespace: String, leaseExpiresAt: KubeTime)
    case namespaceReuseMissed(cause: String, previousNamespace: String?)
    case namespaceSuperseded(namespace: String, supersededBy: String, leaseExpiresAt: KubeTime)
    case namespaceCleaned(namespace: String)
    case namespaceCleanupSkipped(namespace: String, reason: String, retainUntil: KubeTime?)
    case namespaceCleanupFailed(namespace: String, error: String)
    // MARK: revise
    /// A review asked for changes but the stage could not be chosen; the run needs `need:input`.
    case reviseStageAmbiguous(deliveryID: String?, candidates: [String])

    /// Who started a run.
    public enum RunSource: String, Sendable, Hashable { case github, manual }
    /// Why a run waits (annotation `codex-k8s.dev/wait`).
    public enum WaitKind: String, Sendable, Hashable {
        case mcp
        case ownerReview = "owner-review"
    }

    /// The event names of SPEC §8, as stored in `flow_events.event`.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case webhookReceived = "webhook.received"
        case webhookDuplicate = "webhook.duplicate"
        case webhookIgnored = "webhook.ignored"
        case runCreated = "run.created"
        case runStarted = "run.started"
        case runSucceeded = "run.succeeded"
        case runFailed = "run.failed"
        case runCanceled = "run.canceled"
        case runFailedPrecondition = "run.failed.precondition"
        case runWaitPaused = "run.wait.paused"
        case runWaitResumed = "run.wait.resumed"
        case namespacePrepared = "run.namespace.prepared"
        case namespaceTTLScheduled = "run.namespace.ttl_scheduled"
        case namespaceTTLExtended = "run.namespace.ttl_extended"
        case namespaceReused = "run.namespace.reused"
        case namespaceReuseMissed = "run.namespace.reuse_missed"
        case namespaceSuperseded = "run.namespace.superseded"
        case namespaceCleaned = "run.namespace.cleaned"
        case namespaceCleanupSkipped = "run.namespace.cleanup_skipped"
        case namespaceCleanupFailed = "run.namespace.cleanup_failed"
        case reviseStageAmbiguous = "run.revise.stage_ambiguous"
    }

    public var name: Name {
        switch self {
        case .webhookReceived: .webhookReceived
        case .webhookDuplicate: .webhookDuplicate
        case .webhookIgnored: .webhookIgnored
        case .runCreated: .runCreated
        case .runStarted: .runStarted
        case .runSucceeded: .runSucceeded
        case .runFailed: .runFailed
        case .runCanceled: .runCanceled
        case .runFailedPrecondition: .runFailedPrecondition
        case .runWaitPaused: .runWaitPaused
        case .runWaitResumed: .runWaitResumed
        case .namespacePrepared: .namespacePrepared
        case .namespaceTTLScheduled: .namespaceTTLScheduled
        case .namespaceTTLExtended: .namespaceTTLExtended
        case .namespaceReused: .namespaceReused
        case .namespaceReuseMissed: .namespaceReuseMissed
        case .namespaceSuperseded: .namespaceSuperseded
        case .namespaceCleaned: .namespaceCleaned
        case .namespaceCleanupSkipped: .namespaceCleanupSkipped
        case .namespaceCleanupFailed: .namespaceCleanupFailed
        case .reviseStageAmbiguous: .reviseStageAmbiguous
        }
    }
}

import KubeAPI

/// Where the operator and the webhook adapter send their audit trail.
///
/// Contract for every conformer: the methods return quickly and never block on I/O, never throw and
/// never fail the caller — reconciling and webhook answers must not wait for the audit. What a sink
/// accepted it keeps until written, within the limits it documents (see `PostgresAuditSink`).
public protocol AuditSink: Sendable {
    /// Records one flow event.
    func record(_ record: AuditRecord)
    /// Records the current state of a run (on each phase change).
    func recordRun(_ run: AgentRunRecord)
    /// Records how a webhook delivery was answered.
    func recordDelivery(_ delivery: WebhookDeliveryRecord)
}

extension AuditSink {
    /// Emits a catalog event now: the usual call site.
    public func emit(_ event: AuditEvent, subject: AuditSubject, actor: String) {
        record(AuditRecord(event: event, subject: subject, actor: actor))
    }
}

/// Sends everything to several sinks, in order (e.g. Kubernetes Events/logs and PostgreSQL).
public struct AuditSinks: AuditSink {
    public let sinks: [any AuditSink]

    public init(_ sinks: [any AuditSink]) { self.sinks = sinks }

    public func record(_ record: AuditRecord) { for sink in sinks { sink.record(record) } }
    public func recordRun(_ run: AgentRunRecord) { for sink in sinks { sink.recordRun(run) } }
    public func recordDelivery(_ delivery: WebhookDeliveryRecord) {
        for sink in sinks { sink.recordDelivery(delivery) }
    }
}

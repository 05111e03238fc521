import KubeAPI
import Logging

/// The default sink (no database configured): each flow event becomes a JSON log line and, when it
/// has a `regarding` object, a Kubernetes Event; run snapshots and deliveries become log lines.
///
/// Log lines carry the event under metadata key `audit` (`event`, `id`, `run`, `repository`, `actor`,
/// `payload`), so a JSON log handler renders them as structured fields. Warnings (failures,
/// anomalies) log at `.warning`, everything else at `.info`; run snapshots at `.debug`.
public struct KubeEventLogSink: AuditSink {
    private let publisher: (any KubeEventPublishing)?
    private let logger: Logger

    public init(publisher: (any KubeEventPublishing)?, logger: Logger) {
        self.publisher = publisher
        self.logger = logger
    }

    /// The event's payload is built once, for both the log line and the Event's note.
    public func record(_ record: AuditRecord) {
        let event = record.event
        let level: Logger.Level = event.isWarning ? .warning : .info
        let regarding = publisher == nil ? nil : record.subject.regarding
        guard logger.logLevel <= level || regarding != nil else { return }
        let eventPayload = event.payload
        // The metadata is an autoclosure: built only when the level is enabled.
        logger.log(level: level, "audit \(event.name.rawValue)",
                   metadata: Self.metadata(record, payload: record.payload(event: eventPayload)))
        if let regarding, let publisher {
            publisher.publish(KubeEventNote(regarding: regarding, type: event.isWarning ? .warning : .normal,
                                            reason: event.reason, action: event.action,
                                            note: event.note(payload: eventPayload)))
        }
    }

    private static func metadata(_ record: AuditRecord, payload: JSONValue) -> Logger.Metadata {
        var fields = Logger.Metadata(minimumCapacity: 7) // room for all: no rehash while filling
        fields["event"] = .string(record.event.name.rawValue)
        fields["id"] = .string(record.id.lowercasedText)
        fields["time"] = .string(record.time.rfc3339)
        fields["actor"] = .string(AuditText.sanitize(record.actor))
        fields["payload"] = payload.logMetadataValue
        if let run = record.subject.run { fields["run"] = .string(run) }
        if let repository = record.subject.repository { fields["repository"] = .string(repository) }
        return ["audit": .dictionary(fields)]
    }

    public func recordRun(_ run: AgentRunRecord) {
        guard logger.logLevel <= .debug else { return }
        var fields: Logger.Metadata = [
            "run": .string(run.name), "repository": .string(run.repository), "issue": "\(run.issue)",
            "stage": .string(run.stage), "phase": .string(run.phase),
        ]
        if let reason = run.reason { fields["reason"] = .string(AuditText.sanitize(reason)) }
        if let namespace = run.namespace { fields["namespace"] = .string(namespace) }
        logger.debug("audit run state", metadata: ["audit": .dictionary(fields)])
    }

    public func recordDelivery(_ delivery: WebhookDeliveryRecord) {
        var fields: Logger.Metadata = [
            "deliveryID": .string(AuditText.sanitize(delivery.deliveryID)),
            "event": .string(AuditText.sanitize(delivery.event)),
            "outcome": .string(delivery.outcome.rawValue),
        ]
        if let action = delivery.action { fields["action"] = .string(AuditText.sanitize(action)) }
        if let repository = delivery.repository { fields["repository"] = .string(AuditText.sanitize(repository)) }
        if let reason = delivery.reason { fields["reason"] = .string(AuditText.sanitize(reason)) }
        if let run = delivery.run { fields["run"] = .string(run) }
        logger.info("audit webhook delivery", metadata: ["audit": .dictionary(fields)])
    }
}

extension JSONValue {
    /// The value as structured log metadata (scalars as strings, objects and arrays nested).
    var logMetadataValue: Logger.MetadataValue {
        switch self {
        case .null: .string("null")
        case .bool(let b): .string(b ? "true" : "false")
        case .int(let i): .string(String(i))
        case .double(let d): .string(String(d))
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(\.logMetadataValue))
        case .object(let o): .dictionary(o.mapValues(\.logMetadataValue))
        }
    }
}

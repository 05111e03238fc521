@testable import Audit
import Foundation
import KubeAPI
import KubeRuntime
import Logging
import Testing
import TestSupport

/// `KubeEventLogSink.record` builds the event's payload once for the log line and the Event's note:
/// every catalog event, with plain and awkward field values (control characters, secrets, text past
/// the note's 1 KiB), must give exactly the log metadata and note the sink gave when it built the
/// payload separately for each (the reference functions below are that former code, verbatim).
@Suite struct KubeEventLogSinkOutputTests {
    static let agentRun = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun",
                                          namespace: "codex-system", name: "o-r-42-dev-abc", uid: "u-1")

    /// The catalog examples, then each with awkward text in every string field.
    static var events: [AuditEvent] {
        let plain = CatalogTests.examples.map(\.0)
        let long = String(repeating: "x", count: 700) + " ü "
        let odd = "a\u{1}b ghp_0123456789abcdefABCDEF Bearer abc https://u:p@h/x \"q\" é" + long
        let lease = KubeTime(secondsSince1970: 1_800_000_123.456)
        let awkward: [AuditEvent] = [
            .webhookReceived(deliveryID: odd, event: odd, action: nil, sender: odd),
            .webhookDuplicate(deliveryID: odd, existingRun: odd),
            .webhookIgnored(deliveryID: odd, reason: odd),
            .runCreated(stage: odd, revise: true, source: .github, deliveryID: nil),
            .runStarted(namespace: odd, jobName: odd, model: odd, reasoning: odd),
            .runSucceeded(durationSeconds: -3),
            .runFailed(reason: odd, message: odd + odd),
            .runFailedPrecondition(reason: odd, message: odd),
            .runCanceled(cause: odd),
            .runWaitResumed(wait: .mcp, waitedSeconds: 0),
            .namespacePrepared(namespace: odd, mode: odd, leaseExpiresAt: lease),
            .namespaceTTLScheduled(namespace: odd, leaseExpiresAt: lease, cause: odd),
            .namespaceReuseMissed(cause: odd, previousNamespace: nil),
            .namespaceSuperseded(namespace: odd, supersededBy: odd, leaseExpiresAt: lease),
            .namespaceCleanupSkipped(namespace: odd, reason: odd, retainUntil: nil),
            .namespaceCleanupFailed(namespace: odd, error: odd + odd),
            .reviseStageAmbiguous(deliveryID: odd, candidates: [odd, "", "dev"] + (0..<40).map { "c\($0)" }),
            .reviseStageAmbiguous(deliveryID: "d", candidates: []),
        ]
        return plain + awkward
    }

    static let subjects: [AuditSubject] = [
        AuditSubject(regarding: agentRun),
        AuditSubject(run: "o-r-42-dev-abc", repository: "o/r", issue: 42, pullRequest: 7, regarding: agentRun),
        AuditSubject(run: "r", repository: "o/r", issue: 1),
    ]

    @Test func logMetadataAndNoteAreThoseOfThePayloadBuiltTwice() throws {
        var checked = 0
        for (e, event) in Self.events.enumerated() {
            for (s, subject) in Self.subjects.enumerated() {
                let logs = LogRecorder()
                let publisher = RecordingPublisher()
                let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)
                let record = AuditRecord(event: event, subject: subject, actor: "github:al\u{7}ice",
                                         time: KubeTime(secondsSince1970: 1_800_000_000.25),
                                         id: UUID(uuid: (UInt8(e), UInt8(s), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)))
                sink.record(record)

                let line = try #require(logs.records.only)
                #expect(line.level == (event.isWarning ? .warning : .info))
                #expect(line.message == "audit \(event.name.rawValue)")
                #expect(line.metadata == Self.referenceMetadata(record), "\(event.name) \(s)")
                #expect(JSONLogHandler.line(time: Date(timeIntervalSince1970: 0), level: .info, label: "l",
                                            message: "m", metadata: line.metadata)
                        == JSONLogHandler.line(time: Date(timeIntervalSince1970: 0), level: .info, label: "l",
                                               message: "m", metadata: Self.referenceMetadata(record)))
                if subject.regarding != nil {
                    let note = try #require(publisher.published.only)
                    #expect(note.note == Self.referenceNote(event), "\(event.name) \(s)")
                    #expect(note.note == event.note)
                    #expect(note.reason == event.reason && note.action == event.action)
                    #expect(note.type == (event.isWarning ? .warning : .normal))
                } else {
                    #expect(publisher.published.isEmpty)
                }
                checked += 1
            }
        }
        #expect(checked == Self.events.count * Self.subjects.count)
    }

    @Test func aDisabledLevelStillPublishesTheEventAndNothingElse() throws {
        let logs = LogRecorder(level: .error)
        let publisher = RecordingPublisher()
        let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)
        for event in Self.events { sink.emit(event, subject: Self.subjects[0], actor: "operator") }
        #expect(logs.records.isEmpty)
        #expect(publisher.published.map(\.note) == Self.events.map(Self.referenceNote))

        let quiet = KubeEventLogSink(publisher: nil, logger: logs.logger)
        quiet.emit(Self.events[0], subject: Self.subjects[0], actor: "operator")
        #expect(logs.records.isEmpty)
    }

    /// The note as `AuditEvent.note` built it before: its own payload, `"\(key)=\(value)"` parts joined.
    static func referenceNote(_ event: AuditEvent) -> String {
        guard case .object(let fields) = event.payload else { return event.name.rawValue }
        var parts = [event.name.rawValue]
        for key in fields.keys.sorted() {
            let value = fields[key]!
            parts.append("\(key)=\(value.stringValue ?? value.jsonString())")
        }
        return AuditText.sanitize(parts.joined(separator: " "), limit: 1024)
    }

    /// The log metadata as `KubeEventLogSink` built it before: from `record.payload`.
    static func referenceMetadata(_ record: AuditRecord) -> Logger.Metadata {
        var fields: Logger.Metadata = [
            "event": .string(record.event.name.rawValue),
            "id": .string(record.id.uuidString.lowercased()),
            "time": .string(record.time.rfc3339),
            "actor": .string(AuditText.sanitize(record.actor)),
            "payload": record.payload.logMetadataValue,
        ]
        if let run = record.subject.run { fields["run"] = .string(run) }
        if let repository = record.subject.repository { fields["repository"] = .string(repository) }
        return ["audit": .dictionary(fields)]
    }
}

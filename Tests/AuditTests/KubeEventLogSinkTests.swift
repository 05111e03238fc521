import Audit
import Foundation
import KubeAPI
import Logging
import Testing
import TestSupport

@Suite struct KubeEventLogSinkTests {
    let agentRun = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun",
                                        namespace: "codex-system", name: "o-r-42-dev-abc", uid: "u-1")

    @Test func eventWithARegardingObjectBecomesAKubernetesEventAndALogLine() throws {
        let logs = LogRecorder()
        let publisher = RecordingPublisher()
        let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)
        let subject = AuditSubject(run: "o-r-42-dev-abc", repository: "o/r", issue: 42, regarding: agentRun)

        sink.emit(.runFailed(reason: "ImagePullBackOff", message: "image missing"), subject: subject,
                  actor: "operator")

        let event = try #require(publisher.published.only)
        #expect(event.regarding == agentRun)
        #expect(event.type == .warning)
        #expect(event.reason == "RunFailed")
        #expect(event.action == "ObserveRun")
        #expect(event.note == "run.failed message=image missing reason=ImagePullBackOff")
        let line = try #require(logs.records.only)
        #expect(line.level == .warning)
        guard case .dictionary(let audit)? = line.metadata["audit"] else {
            Issue.record("no audit metadata")
            return
        }
        #expect(audit["event"] == .string("run.failed"))
        #expect(audit["run"] == .string("o-r-42-dev-abc"))
        #expect(audit["repository"] == .string("o/r"))
        #expect(audit["actor"] == .string("operator"))
        guard case .string(let id)? = audit["id"] else {
            Issue.record("no audit id")
            return
        }
        #expect(UUID(uuidString: id)?.uuidString.lowercased() == id, "the id is a UUID's lowercase text")
        guard case .dictionary(let payload)? = audit["payload"] else {
            Issue.record("no payload metadata")
            return
        }
        #expect(payload["reason"] == .string("ImagePullBackOff"))
        #expect(payload["issue"] == .string("42"))
    }

    @Test func normalEventsLogAtInfoAndNeedARegardingObjectForKubernetes() throws {
        let logs = LogRecorder()
        let publisher = RecordingPublisher()
        let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)

        sink.emit(.webhookReceived(deliveryID: "d-1", event: "issues", action: "labeled", sender: "alice"),
                  subject: AuditSubject(repository: "o/r"), actor: "github:alice")
        sink.emit(.namespacePrepared(namespace: "codex-o-r-42-dev-a1b2c3", mode: "full-env",
                                     leaseExpiresAt: KubeTime(secondsSince1970: 1_800_000_000)),
                  subject: AuditSubject(run: "r", regarding: agentRun), actor: "operator")

        #expect(logs.records.map(\.level) == [.info, .info])
        let event = try #require(publisher.published.only)
        #expect(event.type == .normal)
        #expect(event.reason == "RunNamespacePrepared")
        #expect(event.note.contains("namespace=codex-o-r-42-dev-a1b2c3"))
    }

    @Test func secretsInFreeTextNeverReachLogsOrEvents() throws {
        let logs = LogRecorder()
        let publisher = RecordingPublisher()
        let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)
        sink.emit(.namespaceCleanupFailed(namespace: "ns", error: "token ghp_0123456789abcdefghijABCDEFGHIJ rejected"),
                  subject: AuditSubject(run: "r", regarding: agentRun), actor: "operator")
        let note = try #require(publisher.published.only).note
        #expect(!note.contains("ghp_"))
        #expect(!"\(try #require(logs.records.only).metadata)".contains("ghp_"))
    }

    @Test func deliveriesAndRunsAreLogged() throws {
        let logs = LogRecorder()
        let sink = KubeEventLogSink(publisher: nil, logger: logs.logger)
        sink.recordDelivery(WebhookDeliveryRecord(deliveryID: "d-9", event: "issues", action: "labeled",
                                                  repository: "o/r", outcome: .accepted, run: "r-1"))
        sink.recordRun(AgentRunRecord(name: "r-1", repository: "o/r", issue: 1, stage: "dev", phase: "Running",
                                      createdAt: KubeTime(secondsSince1970: 1)))
        #expect(logs.records.map(\.message) == ["audit webhook delivery", "audit run state"])
        #expect("\(logs.records[0].metadata)".contains("accepted"))
        #expect(logs.records[1].level == .debug)
    }

    @Test func fanOutReachesEverySink() {
        let first = RecordingPublisher()
        let second = RecordingPublisher()
        let sinks = AuditSinks([KubeEventLogSink(publisher: first, logger: LogRecorder().logger),
                                KubeEventLogSink(publisher: second, logger: LogRecorder().logger)])
        sinks.emit(.runCanceled(cause: "deleted"), subject: AuditSubject(run: "r", regarding: agentRun),
                   actor: "operator")
        #expect(first.published.count == 1)
        #expect(second.published.count == 1)
    }
}

extension Array {
    /// The single element, or `nil` when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}

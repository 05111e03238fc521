import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTestServer
import Testing
import TestSupport

/// The default sink end to end: audit events become events.k8s.io/v1 Events on a real API server
/// (KubeTestServer over HTTP), through KubeRuntime's EventRecorder, with repeats aggregated.
@Suite struct RecorderEventPublisherTests {
    @Test func auditEventsBecomeAggregatedKubernetesEvents() async throws {
        let server = try await KubeTestServer.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let client = try KubeClient.load(kubeconfigPath: try server.writeKubeconfig(to: dir.appendingPathComponent("kubeconfig").path))
        let recorder = EventRecorder(sink: KubeClientEventSink(client: client),
                                     reportingController: "codex-k8s.dev/operator", reportingInstance: "test-0")
        let publisher = RecorderEventPublisher(recorder: recorder)
        let logs = LogRecorder()
        let sink = KubeEventLogSink(publisher: publisher, logger: logs.logger)
        let run = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun",
                                  namespace: "default", name: "o-r-42-dev-abc", uid: "u-1")
        let subject = AuditSubject(run: run.name, repository: "o/r", issue: 42, regarding: run)

        sink.emit(.runFailed(reason: "ImagePullBackOff", message: "image missing"), subject: subject, actor: "operator")
        sink.emit(.runFailed(reason: "ImagePullBackOff", message: "image missing"), subject: subject, actor: "operator")
        sink.emit(.runSucceeded(durationSeconds: 12), subject: subject, actor: "operator")
        await publisher.finish()

        let events = try await client.list(Event.self, namespace: "default").items
        #expect(events.count == 2)
        let failed = try #require(events.first { $0.reason == "RunFailed" })
        #expect(failed.type == "Warning")
        #expect(failed.regarding?.name == run.name)
        #expect(failed.reportingController == "codex-k8s.dev/operator")
        #expect(failed.series?.count == 2)
        let succeeded = try #require(events.first { $0.reason != "RunFailed" })
        #expect(succeeded.type == "Normal")
        #expect(succeeded.series == nil)
        #expect(publisher.dropped == 0)
        #expect(logs.records.count == 3)
        try await server.stop()
    }
}

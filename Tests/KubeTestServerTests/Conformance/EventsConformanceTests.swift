import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: events.k8s.io/v1 and core/v1 Events are one storage seen through two APIs
/// (FINDINGS B6): what client-go's new recorder writes is what `kubectl get events` reads.
@Suite(.serialized) struct EventsConformanceTests {
    typealias T = ConformanceTarget

    static let coreEvents = ResourceDescriptor(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true)
    static let newEvents = ResourceDescriptor(group: "events.k8s.io", version: "v1", plural: "events", kind: "Event",
                                              namespaced: true)

    @Test func oneStorageTwoAPIs() async throws {
        let t = try await T.start()
        let c = t.client
        let regarding: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "name": "subject", "namespace": .string(t.namespace)]
        let written = try await c.create(Self.newEvents, namespace: t.namespace, [
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "e1"],
            "eventTime": "2026-12-04T20:00:00.000000Z", "reportingController": "codex-k8s.dev/operator",
            "reportingInstance": "operator-0", "action": "Provision", "reason": "Provisioned", "type": "Normal",
            "note": "namespace ready", "regarding": regarding,
        ])
        #expect(written["note"] == "namespace ready")
        #expect(written["message"] == nil)
        let core = try await c.get(Self.coreEvents, namespace: t.namespace, name: "e1")
        #expect(core["apiVersion"] == "v1")
        #expect(core["message"] == "namespace ready")
        #expect(core["reportingComponent"] == "codex-k8s.dev/operator")
        #expect(core["reportingInstance"] == "operator-0")
        #expect(core[path: ["involvedObject", "name"]] == "subject")
        #expect(core["note"] == nil && core["regarding"] == nil)
        let listed = try await c.list(Self.coreEvents, namespace: t.namespace)
        #expect((listed["items"]?.arrayValue ?? []).contains { $0[path: ["metadata", "name"]] == "e1" })

        _ = try await c.create(Self.coreEvents, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e2"], "involvedObject": regarding,
            "reason": "Seen", "message": "from core", "type": "Warning", "count": 3,
            "source": ["component": "tester"],
        ])
        let viaNew = try await c.get(Self.newEvents, namespace: t.namespace, name: "e2")
        #expect(viaNew["apiVersion"] == "events.k8s.io/v1")
        #expect(viaNew["note"] == "from core")
        #expect(viaNew["deprecatedCount"] == 3)
        #expect(viaNew[path: ["deprecatedSource", "component"]] == "tester")
        #expect(viaNew[path: ["regarding", "name"]] == "subject")
        try await c.delete(Self.newEvents, namespace: t.namespace, name: "e2")
        let gone = await T.error { _ = try await c.get(Self.coreEvents, namespace: t.namespace, name: "e2") }
        #expect(gone?.isNotFound == true)
        try await t.close()
    }
}

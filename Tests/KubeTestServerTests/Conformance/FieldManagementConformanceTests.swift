import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: managedFields for plain writes, apply conflicts with an Update manager, per-key
/// merging of Pod containers — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct FieldManagementConformanceTests {
    typealias T = ConformanceTarget

    @Test func applyConflictsWithAFieldSetByAPlainCreate() async throws {
        let t = try await T.start()
        let c = t.client
        let created = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("owned", data: ["k": "v"]),
                                         options: WriteOptions(fieldManager: "fidelity"))
        let entry = created[path: ["metadata", "managedFields"]]?[item: 0]
        #expect(entry?["manager"] == "fidelity")
        #expect(entry?["operation"] == "Update")
        #expect(entry?["apiVersion"] == "v1")
        #expect(entry?[path: ["fieldsV1", "f:data", "f:k"]] == [:])
        let applied: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": ["name": "owned", "namespace": .string(t.namespace)], "data": ["k": "applied"]]
        let conflict = await T.error {
            _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "owned", .apply(applied, fieldManager: "ssa-mgr"))
        }
        guard case .conflict(_, _, let message)? = conflict else {
            Issue.record("expected a conflict, got \(String(describing: conflict))")
            try await t.close()
            return
        }
        #expect(message == "Apply failed with 1 conflict: conflict with \"fidelity\" using v1: .data.k")
        let forced = try await c.patch(T.configMaps, namespace: t.namespace, name: "owned",
                                       .apply(applied, fieldManager: "ssa-mgr", force: true))
        #expect(forced[path: ["data", "k"]] == "applied")
        let entries = forced[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        let ssa = entries.first { $0["manager"] == "ssa-mgr" }
        #expect(ssa?["operation"] == "Apply")
        #expect(ssa?[path: ["fieldsV1", "f:data", "f:k"]] == [:])
        let fidelity = entries.first { $0["manager"] == "fidelity" }
        #expect(fidelity?[path: ["fieldsV1", "f:data", "f:k"]] == nil, "the forced apply took .data.k from fidelity")
        try await t.close()
    }

    @Test func applyMergesPodContainersByName() async throws {
        let t = try await T.start()
        let c = t.client
        func pod(_ containers: JSONValue) -> JSONValue {
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": .string(t.namespace)],
             "spec": ["containers": containers]]
        }
        _ = try await c.patch(T.pods, namespace: t.namespace, name: "p",
                              .apply(pod([["name": "a", "image": "busybox:1"]]), fieldManager: "m1"))
        let conflict = await T.error {
            _ = try await c.patch(T.pods, namespace: t.namespace, name: "p",
                                  .apply(pod([["name": "a", "image": "busybox:2"]]), fieldManager: "m2"))
        }
        guard case .conflict(_, _, let message)? = conflict else {
            Issue.record("expected a conflict, got \(String(describing: conflict))")
            try await t.close()
            return
        }
        #expect(message == "Apply failed with 1 conflict: conflict with \"m1\": .spec.containers[name=\"a\"].image")
        _ = try await c.delete(T.pods, namespace: t.namespace, name: "p")
        try await t.close()
    }
}

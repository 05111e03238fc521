import ClusterSupport
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: CRD definitions are validated (CEL compiled and type-checked at creation) and
/// custom resources are checked by their CEL rules, list-map keys and int-or-string fields with
/// the real apiserver's messages — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct CRDConformanceTests {
    typealias T = ConformanceTarget

    static func causes(_ e: KubeError?) -> [StatusCause] {
        if case .invalid(_, _, _, let causes)? = e { return causes }
        return []
    }

    /// Creates a CRD and waits until it is Established.
    static func install(_ t: T, _ crd: JSONValue) async throws {
        try await CRDInstall.createEstablished(crd, t.client)
    }

    @Test func ruleThatDoesNotTypeCheckIsRejected() async throws {
        let t = try await T.start()
        let group = "t\(t.suffix).cel.codex-k8s.dev"
        let error = await T.error { _ = try await t.client.create(T.crds, CELFixtures.badRuleCRD(group: group, label: t.suffix)) }
        #expect(error?.code == 422)
        let cause = Self.causes(error).first
        #expect(cause?.field == "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule")
        #expect(cause?.message?.contains("compilation failed: ERROR: <input>:1:8: found no matching overload for '_>_' applied to '(string, int)'") == true,
                "\(String(describing: cause))")
        try await t.close()
    }

    @Test func celRulesListMapsAndTransitionsAreEnforced() async throws {
        let t = try await T.start()
        let c = t.client
        let group = "t\(t.suffix).cel.codex-k8s.dev"
        try await Self.install(t, CELFixtures.taskCRD(group: group, label: t.suffix))
        let tasks = ResourceDescriptor(group: group, version: "v1", plural: "tasks", kind: "Task", namespaced: true)
        func task(_ name: String, _ spec: JSONValue) -> JSONValue { CELFixtures.task(group: group, name: name, namespace: t.namespace, spec: spec) }
        let valid: JSONValue = ["repository": "org/repo", "stage": "code", "memory": "2Gi", "webhook": "https://example.com/hook",
                                "branch": "feature-1", "ports": [["name": "http", "port": 80], ["name": "https", "port": 443]]]
        _ = try await c.create(tasks, namespace: t.namespace, task("ok", valid))

        func rejected(_ spec: JSONValue) async -> [StatusCause] {
            Self.causes(await T.error { _ = try await c.create(tasks, namespace: t.namespace, task("bad", spec)) })
        }
        var spec = valid
        spec["revise"] = true
        spec["stage"] = "rethink"
        #expect(await rejected(spec).map(\.message) == ["Invalid value: revise is not allowed in the rethink and ai-repair stages"])
        spec = valid
        spec["memory"] = "16Gi"
        #expect(await rejected(spec).map { "\($0.field ?? ""): \($0.message ?? "")" } == ["spec.memory: Invalid value: \"16Gi\": memory 16Gi must be at most 8Gi"])
        spec = valid
        spec["webhook"] = "http://example.com"
        #expect(await rejected(spec).map(\.message) == ["Invalid value: \"http://example.com\": webhook must be an https URL"])
        spec = valid
        spec["branch"] = "Feature_1"
        #expect(await rejected(spec).map(\.message) == ["Invalid value: \"Feature_1\": branch must be a lowercase RFC 1123 label"])
        spec = valid
        spec["issue"] = -1
        #expect(await rejected(spec).map { "\($0.field ?? ""): \($0.message ?? "")" } == ["spec.issue: Invalid value: issue must be positive"])
        spec = valid
        spec["ports"] = [["name": "http"], ["name": "http", "port": 8080]]
        let dup = await rejected(spec)
        #expect(dup.map { "\($0.reason ?? "") \($0.field ?? "")" } == ["FieldValueDuplicate spec.ports[1]"])
        #expect(dup.first?.message?.contains("\"name\":\"http\"") == true, "\(dup)")

        var moved = valid
        moved["repository"] = "org/other"
        let immutable = Self.causes(await T.error { _ = try await c.patch(tasks, namespace: t.namespace, name: "ok", .merge(["spec": moved])) })
        #expect(immutable.map(\.message) == ["Invalid value: repository is immutable"])
        _ = try await c.patch(tasks, namespace: t.namespace, name: "ok", .merge(["spec": ["approved": true]]))
        let unset = Self.causes(await T.error { _ = try await c.patch(tasks, namespace: t.namespace, name: "ok", .merge(["spec": ["approved": false]])) })
        #expect(unset.map(\.message) == ["Invalid value: approved cannot be unset once set"])
        let stage = try await c.patch(tasks, namespace: t.namespace, name: "ok", .merge(["spec": ["stage": "review"]]))
        #expect(stage[path: ["spec", "stage"]] == "review")
        try await t.close()
    }
}

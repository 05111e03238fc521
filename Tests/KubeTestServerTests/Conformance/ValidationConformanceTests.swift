import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: built-in object validation with the real messages and field paths — Secret
/// stringData/types/immutability, RBAC roleRef and rules, ObjectMeta (labels, finalizers,
/// ownerReferences), NetworkPolicy, Lease, Event, and PUT identity checks.
@Suite(.serialized) struct ValidationConformanceTests {
    typealias T = ConformanceTarget

    func fields(_ e: KubeError?) -> [String] { T.causes(e).compactMap(\.field) }

    @Test func secretStringDataIsMergedOnEveryWrite() async throws {
        let t = try await T.start()
        let c = t.client
        let created = try await c.create(T.secrets, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "data": ["a": "YQ=="], "stringData": ["pw": "one"]])
        #expect(created["data"] == ["a": "YQ==", "pw": "b25l"])
        #expect(created["stringData"] == nil)
        #expect(created["type"] == "Opaque")
        var put = created
        put["data"] = nil
        put["stringData"] = ["pw": "two"]
        let replaced = try await c.replace(T.secrets, namespace: t.namespace, name: "s", put)
        #expect(replaced["data"] == ["pw": "dHdv"])
        #expect(replaced["stringData"] == nil)
        let merged = try await c.patch(T.secrets, namespace: t.namespace, name: "s", .merge(["stringData": ["pw": "merge"]]))
        #expect(merged[path: ["data", "pw"]] == "bWVyZ2U=")
        #expect(merged["stringData"] == nil)
        let strategic = try await c.patch(T.secrets, namespace: t.namespace, name: "s", .strategicMerge(["stringData": ["x": "y"]]))
        #expect(strategic["data"] == ["pw": "bWVyZ2U=", "x": "eQ=="])
        let typeChange = await T.error {
            _ = try await c.patch(T.secrets, namespace: t.namespace, name: "s", .merge(["type": "kubernetes.io/basic-auth"]))
        }
        #expect(fields(typeChange).contains("type"))
        let tls = await T.error {
            _ = try await c.create(T.secrets, namespace: t.namespace, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "tls"],
                                                                       "type": "kubernetes.io/tls", "data": [:]])
        }
        #expect(fields(tls) == ["data[tls.crt]", "data[tls.key]"])
        let token = await T.error {
            _ = try await c.create(T.secrets, namespace: t.namespace, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "tok"],
                                                                       "type": "kubernetes.io/service-account-token"])
        }
        #expect(fields(token) == ["metadata.annotations[kubernetes.io/service-account.name]"])
        _ = try await c.create(T.secrets, namespace: t.namespace, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "frozen"],
                                                                   "immutable": true, "stringData": ["k": "v"]])
        let frozen = await T.error {
            _ = try await c.patch(T.secrets, namespace: t.namespace, name: "frozen", .merge(["stringData": ["k": "w"]]))
        }
        #expect(T.message(frozen) == "Secret \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
        let badKey = await T.error {
            _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("cm", data: ["bad key": "v"]))
        }
        #expect(fields(badKey) == ["data[bad key]"])
        let notBase64 = await T.error {
            _ = try await c.create(T.secrets, namespace: t.namespace, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "b64"],
                                                                       "data": ["k": "not base64!"]])
        }
        #expect(notBase64?.code == 400)
        #expect(T.message(notBase64).hasPrefix("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte"))
        try await t.close()
    }

    @Test func rbacRoleRefIsImmutableAndRulesNeedVerbs() async throws {
        let t = try await T.start()
        let c = t.client
        let noVerbs = await T.error {
            _ = try await c.create(T.roles, namespace: t.namespace, [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "r"],
                "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": []]]])
        }
        #expect(T.message(noVerbs) == "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value")
        let binding = try await c.create(T.roleBindings, namespace: t.namespace, [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "b"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
            "subjects": [["kind": "ServiceAccount", "name": "default", "namespace": .string(t.namespace)]]])
        var changed = binding
        changed.set(path: ["roleRef", "name"], to: "edit")
        let denied = await T.error { _ = try await c.replace(T.roleBindings, namespace: t.namespace, name: "b", changed) }
        #expect(denied?.code == 422)
        #expect(fields(denied) == ["roleRef"])
        #expect(T.message(denied).hasSuffix("cannot change roleRef"))
        try await t.close()
    }

    @Test func objectMetaLabelsFinalizersAndOwnerReferences() async throws {
        let t = try await T.start()
        let c = t.client
        var labelled = t.configMap("l")
        labelled.set(path: ["metadata", "labels"], to: ["bad key!": "v", "ok": String(repeating: "x", count: 64).jsonValue])
        let labels = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, labelled) }
        #expect(fields(labels) == ["metadata.labels", "metadata.labels"])
        var finalized = t.configMap("f")
        finalized.set(path: ["metadata", "finalizers"], to: ["no-domain"])
        let finalizer = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, finalized) }
        #expect(T.message(finalizer) == "ConfigMap \"f\" is invalid: metadata.finalizers[0]: Invalid value: \"no-domain\": name is neither a standard finalizer name nor is it fully qualified")
        var owned = t.configMap("o")
        owned.set(path: ["metadata", "ownerReferences"], to: [
            ["apiVersion": "v1", "kind": "ConfigMap", "name": "a", "uid": "1", "controller": true],
            ["apiVersion": "v1", "kind": "ConfigMap", "name": "b", "controller": true]])
        let owners = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, owned) }
        #expect(Set(fields(owners)) == ["metadata.ownerReferences[1].uid", "metadata.ownerReferences"])
        let cm = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("x"))
        var moved = cm
        moved.set(path: ["metadata", "namespace"], to: "elsewhere")
        let wrongNamespace = await T.error { _ = try await c.replace(T.configMaps, namespace: t.namespace, name: "x", moved) }
        #expect(wrongNamespace?.code == 400)
        let uid = await T.error {
            _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "x", .merge(["metadata": ["uid": "00000000-0000-0000-0000-000000000000"]]))
        }
        #expect(uid?.code == 422)
        #expect(fields(uid) == ["metadata.uid"])
        try await t.close()
    }

    @Test func networkPolicyDefaultsAndValidation() async throws {
        let t = try await T.start()
        let c = t.client
        func policy(_ name: String, _ spec: JSONValue) -> JSONValue {
            ["apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": ["name": .string(name)], "spec": spec]
        }
        let ingressOnly = try await c.create(T.networkPolicies, namespace: t.namespace, policy("a", ["podSelector": [:]]))
        #expect(ingressOnly[path: ["spec", "policyTypes"]] == ["Ingress"])
        let both = try await c.create(T.networkPolicies, namespace: t.namespace, policy("b", [
            "podSelector": [:], "egress": [["ports": [["port": 53]]]]]))
        #expect(both[path: ["spec", "policyTypes"]] == ["Ingress", "Egress"])
        #expect(both[path: ["spec", "egress"]]?.arrayValue?.first?["ports"] == [["port": 53, "protocol": "TCP"]])
        let bad = await T.error {
            _ = try await c.create(T.networkPolicies, namespace: t.namespace, policy("bad", [
                "podSelector": ["matchExpressions": [["key": "a", "operator": "Like", "values": ["x"]]]],
                "ingress": [["ports": [["port": 70000]], "from": [["ipBlock": ["cidr": "10.0.0.0/33"]]]]]]))
        }
        #expect(Set(fields(bad)) == ["spec.podSelector.matchExpressions[0].operator", "spec.ingress[0].ports[0].port",
                                     "spec.ingress[0].from[0].ipBlock.cidr"])
        try await t.close()
    }

    @Test func leaseMicroTimeAndDurationAndEventNamespace() async throws {
        let t = try await T.start()
        let c = t.client
        func lease(_ name: String, _ spec: JSONValue) -> JSONValue {
            ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(name)], "spec": spec]
        }
        let ok = try await c.create(T.leases, namespace: t.namespace, lease("ok", ["holderIdentity": "me", "leaseDurationSeconds": 15,
                                                                                 "renewTime": "2026-01-02T03:04:05.123456Z"]))
        #expect(ok[path: ["spec", "renewTime"]] == "2026-01-02T03:04:05.123456Z")
        let seconds = await T.error {
            _ = try await c.create(T.leases, namespace: t.namespace, lease("s", ["renewTime": "2026-01-02T03:04:05Z"]))
        }
        #expect(seconds?.code == 400)
        let zero = await T.error { _ = try await c.create(T.leases, namespace: t.namespace, lease("z", ["leaseDurationSeconds": 0])) }
        #expect(T.message(zero) == "Lease.coordination.k8s.io \"z\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")
        let event = await T.error {
            _ = try await c.create(T.events, namespace: t.namespace, [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e"],
                "involvedObject": ["kind": "ConfigMap", "name": "x", "namespace": "elsewhere"], "reason": "R", "message": "m"])
        }
        #expect(fields(event) == ["involvedObject.namespace"])
        let series = await T.error {
            _ = try await c.create(T.events, namespace: t.namespace, [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e2"], "eventTime": "2026-01-02T03:04:05.000000Z",
                "involvedObject": ["kind": "ConfigMap", "name": "x", "namespace": .string(t.namespace)], "reason": "R", "message": "m"])
        }
        #expect(Set(fields(series)) == ["reportingComponent", "reportingInstance", "action"], "events with eventTime need the reporting fields")
        let parallel = await T.error {
            _ = try await c.create(T.jobs, namespace: t.namespace, [
                "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
                "spec": ["parallelism": -1, "template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]]])
        }
        #expect(T.message(parallel) == "Job.batch \"j\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0")
        try await t.close()
    }
}

private extension String {
    var jsonValue: JSONValue { .string(self) }
}

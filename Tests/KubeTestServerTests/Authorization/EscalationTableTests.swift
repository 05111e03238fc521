import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The covering rules of escalation prevention (`validation.Covers`, `CompactRules`,
/// `CompactString`), one case per rule: a user holding `owner` creates a role granting `granted`.
@Suite struct EscalationTableTests {
    struct Case: Sendable, CustomStringConvertible {
        var owner: [JSONValue]
        var granted: [JSONValue]
        /// The missing-rule lines of the refusal; empty when the create is allowed.
        var missing: [String]
        var cluster = false
        var description: String { "\(JSONValue.array(owner).jsonString()) grants \(JSONValue.array(granted).jsonString())" }
    }

    static let cases: [Case] = [
        Case(owner: [["verbs": ["*"], "apiGroups": [""], "resources": ["pods"]]],
             granted: [["verbs": ["get", "delete"], "apiGroups": [""], "resources": ["pods"]]], missing: []),
        Case(owner: [["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]]],
             granted: [["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["pods"]]],
             missing: [#"{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}"#]),
        Case(owner: [["verbs": ["get"], "apiGroups": [""], "resources": ["*"]]],
             granted: [["verbs": ["get"], "apiGroups": ["", "batch"], "resources": ["jobs"]]],
             missing: [#"{APIGroups:["batch"], Resources:["jobs"], Verbs:["get"]}"#]),
        Case(owner: [["verbs": ["update"], "apiGroups": ["*"], "resources": ["*/status"]]],
             granted: [["verbs": ["update"], "apiGroups": ["batch"], "resources": ["jobs/status", "jobs"]]],
             missing: [#"{APIGroups:["batch"], Resources:["jobs"], Verbs:["update"]}"#]),
        Case(owner: [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]]],
             granted: [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"]]],
             missing: [#"{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}"#]),
        Case(owner: [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"]]],
             granted: [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a", "b"]]], missing: []),
        Case(owner: [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]]],
             granted: [["verbs": ["get", "update"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a", "b"]]],
             missing: [#"{APIGroups:[""], Resources:["configmaps"], ResourceNames:["a"], Verbs:["update"]}"#,
                       #"{APIGroups:[""], Resources:["configmaps"], ResourceNames:["b"], Verbs:["get" "update"]}"#]),
        Case(owner: [["verbs": ["get"], "nonResourceURLs": ["/healthz/*"]]],
             granted: [["verbs": ["get"], "nonResourceURLs": ["/healthz/etcd", "/metrics"]]],
             missing: [#"{NonResourceURLs:["/metrics"], Verbs:["get"]}"#], cluster: true),
    ]

    @Test(arguments: Array(cases.enumerated()))
    func escalation(_ i: Int, _ k: Case) async throws {
        let f = try await Fixture.start()
        let admin = try f.http()
        let user = "u\(i)"
        let create: JSONValue = ["verbs": ["create"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "clusterroles"]]
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", body: [
            "metadata": ["name": "owner"], "rules": .array(k.owner + [create])]).status == 201)
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", body: [
            "metadata": ["name": "owner"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "owner"],
            "subjects": [["kind": "User", "name": .string(user)]]]).status == 201)
        let path = k.cluster ? "/apis/rbac.authorization.k8s.io/v1/clusterroles" : "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles"
        let r = try admin.request("POST", path, body: ["metadata": ["name": "granted"], "rules": .array(k.granted)],
                                  headers: ["Impersonate-User": user])
        if k.missing.isEmpty {
            #expect(r.status == 201, "\(k): \(r.text)")
        } else {
            let resource = k.cluster ? "clusterroles" : "roles"
            #expect(r.status == 403)
            #expect(r.json["message"] == .string("\(resource).rbac.authorization.k8s.io \"granted\" is forbidden: user \"\(user)\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" + k.missing.joined(separator: "\n")), "\(k)")
            #expect(r.json["details"] == ["name": "granted", "group": "rbac.authorization.k8s.io", "kind": .string(resource)])
        }
        try await f.close()
    }

    /// LocalSubjectAccessReview: the namespace of the URL and of the attributes must agree.
    @Test func localSubjectAccessReview() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let path = "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews"
        let ok = try c.request("POST", path, body: ["spec": ["user": "bob", "resourceAttributes": ["namespace": "default", "verb": "get", "resource": "pods"]]])
        #expect(ok.status == 201)
        #expect(ok.json[path: ["status", "allowed"]] == false)
        #expect(ok.json[path: ["metadata", "namespace"]] == "default")
        let other = try c.request("POST", path, body: ["spec": ["user": "bob", "resourceAttributes": ["namespace": "kube-system", "verb": "get"]]])
        #expect(other.status == 400)
        #expect(other.json["message"] == "spec.resourceAttributes.namespace must match namespace: default")
        let none = try c.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body: ["spec": [:]])
        #expect(none.json["message"] == "SubjectAccessReview.authorization.k8s.io \"\" is invalid: [spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: \"\": at least one of user or group must be specified]")
        try await f.close()
    }
}

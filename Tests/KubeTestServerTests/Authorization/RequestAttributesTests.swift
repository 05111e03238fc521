import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The request attributes RBAC sees, derived like `RequestInfoFactory`, and how rules resolve.
@Suite struct RequestAttributesTests {
    static func grant(_ c: RawHTTP, user: String, namespace: String, rules: [JSONValue], role: String = "r") throws {
        #expect(try c.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/\(namespace)/roles",
                              body: ["metadata": ["name": .string(role)], "rules": .array(rules)]).status == 201)
        #expect(try c.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/\(namespace)/rolebindings", body: [
            "metadata": ["name": .string(role)], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(role)],
            "subjects": [["kind": "User", "name": .string(user)]]]).status == 201)
    }

    /// A list or watch with `fieldSelector=metadata.name=X` is a request for `X` (what `kubectl get
    /// cm a -w` sends), so resourceNames rules allow it.
    @Test func fieldSelectorOnNameNamesTheObject() async throws {
        let f = try await Fixture.start()
        let admin = try f.http()
        try Self.grant(admin, user: "bob", namespace: "default",
                       rules: [["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]]])
        let bob = ["Impersonate-User": "bob"]
        #expect(try admin.request("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Da", headers: bob).status == 200)
        #expect(try admin.request("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Db", headers: bob).status == 403)
        let all = try admin.request("GET", "/api/v1/namespaces/default/configmaps", headers: bob)
        #expect(all.status == 403)
        #expect(all.json["details"] == ["kind": "configmaps"])
        try await f.close()
    }

    /// A namespace is in itself: a RoleBinding in `ns` granting `get namespaces` lets its subject read `ns`.
    @Test func aNamespaceIsItsOwnNamespace() async throws {
        let f = try await Fixture.start()
        let admin = try f.http()
        #expect(try admin.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "team"]]).status == 201)
        try Self.grant(admin, user: "bob", namespace: "team", rules: [["verbs": ["get"], "apiGroups": [""], "resources": ["namespaces"]]])
        let bob = ["Impersonate-User": "bob"]
        #expect(try admin.request("GET", "/api/v1/namespaces/team", headers: bob).status == 200)
        let other = try admin.request("GET", "/api/v1/namespaces/default", headers: bob)
        #expect(other.json["message"] == "namespaces \"default\" is forbidden: User \"bob\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"")
        try await f.close()
    }

    /// A binding to a missing role: the denial names it, and the rules review reports it.
    @Test func bindingsToMissingRoles() async throws {
        let f = try await Fixture.start()
        let admin = try f.http()
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", body: [
            "metadata": ["name": "dangling"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "gone"],
            "subjects": [["kind": "User", "name": "bob"]]]).status == 201)
        let bob = ["Impersonate-User": "bob"]
        let denied = try admin.request("GET", "/api/v1/namespaces/default/pods", headers: bob)
        #expect(denied.json["message"] == "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\": RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found")
        let rules = try admin.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                                      body: ["spec": ["namespace": "default"]], headers: bob)
        #expect(rules.json[path: ["status", "evaluationError"]] == "clusterrole.rbac.authorization.k8s.io \"gone\" not found")
        #expect(rules.json[path: ["status", "incomplete"]] == false)
        let sar = try admin.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body: [
            "spec": ["user": "bob", "resourceAttributes": ["namespace": "default", "verb": "list", "resource": "pods"]]])
        #expect(sar.json["status"] == ["allowed": false, "reason": "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"])
        try await f.close()
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Authentication, impersonation and the 401/403 answers over raw HTTP (real headers), with
/// static tokens only the in-memory server has.
@Suite struct AuthenticationTests {
    static let alice = "alice-token"

    static func start(_ mode: AuthorizationMode = .rbac) async throws -> Fixture {
        var options = ServerOptions()
        options.authorization = mode
        options.staticTokens[alice] = UserInfo(name: "alice", groups: ["devs"])
        return try await Fixture.start(options: options)
    }

    /// Admin setup: SA `robot` in `default`, bound to a get/list-secrets ClusterRole; Secret `s`.
    static func robotReadsSecrets(_ c: RawHTTP) throws {
        #expect(try c.request("POST", "/api/v1/namespaces/default/serviceaccounts", body: ["metadata": ["name": "robot"]]).status == 201)
        #expect(try c.request("POST", "/api/v1/namespaces/default/secrets", body: ["metadata": ["name": "s"]]).status == 201)
        #expect(try c.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", body: [
            "metadata": ["name": "secret-reader"], "rules": [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["secrets"]]]]).status == 201)
        #expect(try c.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", body: [
            "metadata": ["name": "robot-reader"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "secret-reader"],
            "subjects": [["kind": "ServiceAccount", "name": "robot", "namespace": "default"]]]).status == 201)
    }

    static let robot = "system:serviceaccount:default:robot"

    @Test func impersonatingAServiceAccountGetsItsRights() async throws {
        let f = try await Self.start()
        let c = try f.http()
        try Self.robotReadsSecrets(c)
        let asRobot = ["Impersonate-User": Self.robot]
        #expect(try c.request("GET", "/api/v1/namespaces/default/secrets/s", headers: asRobot).status == 200)
        let denied = try c.request("DELETE", "/api/v1/namespaces/default/secrets/s", headers: asRobot)
        #expect(denied.status == 403)
        #expect(denied.json == [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "reason": "Forbidden", "code": 403,
            "message": "secrets \"s\" is forbidden: User \"system:serviceaccount:default:robot\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"default\"",
            "details": ["name": "s", "kind": "secrets"]])
        let me = try c.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["apiVersion": "authentication.k8s.io/v1",
                                                                                                 "kind": "SelfSubjectReview"], headers: asRobot).json
        #expect(me[path: ["status", "userInfo"]] == ["username": .string(Self.robot),
                                                     "groups": ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]])
        try await f.close()
    }

    @Test func impersonationNeedsTheImpersonateVerb() async throws {
        let f = try await Self.start()
        let admin = try f.http()
        try Self.robotReadsSecrets(admin)
        let alice = try f.http(token: Self.alice)
        let sa = try alice.request("GET", "/api/v1/namespaces/default/secrets", headers: ["Impersonate-User": Self.robot])
        #expect(sa.status == 403)
        #expect(sa.json["message"] == "serviceaccounts \"robot\" is forbidden: User \"alice\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"")
        let user = try alice.request("GET", "/api/v1/namespaces", headers: ["Impersonate-User": "bob"])
        #expect(user.json["message"] == "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope")
        #expect(user.json["details"] == ["name": "bob", "kind": "users"])
        // Allowed to impersonate users, not groups.
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", body: [
            "metadata": ["name": "impersonator"], "rules": [["verbs": ["impersonate"], "apiGroups": [""], "resources": ["users"]]]]).status == 201)
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", body: [
            "metadata": ["name": "alice-impersonates"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "impersonator"],
            "subjects": [["kind": "User", "name": "alice"]]]).status == 201)
        let bob = try alice.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["kind": "SelfSubjectReview"],
                                    headers: ["Impersonate-User": "bob"])
        #expect(bob.json[path: ["status", "userInfo"]] == ["username": "bob", "groups": ["system:authenticated"]])
        let group = try alice.request("GET", "/api/v1/namespaces", headers: ["Impersonate-User": "bob", "Impersonate-Group": "admins"])
        #expect(group.json["message"] == "groups \"admins\" is forbidden: User \"alice\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope")
        let noUser = try admin.request("GET", "/api/v1/namespaces", headers: ["Impersonate-Group": "system:masters"])
        #expect(noUser.status == 500)
        #expect(noUser.json["reason"] == "InternalError")
        try await f.close()
    }

    @Test func tokensAnonymousAndUnauthorized() async throws {
        let f = try await Self.start()
        let alice = try f.http(token: Self.alice)
        let me = try alice.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["kind": "SelfSubjectReview"])
        #expect(me.status == 201)
        #expect(me.json == ["kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1", "metadata": [:],
                            "status": ["userInfo": ["username": "alice", "groups": ["devs", "system:authenticated"]]]])
        let forbidden = try alice.request("GET", "/api/v1/namespaces/default/configmaps")
        #expect(forbidden.json["message"] == "configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        #expect(try alice.request("GET", "/api").status == 200, "system:discovery is bound to system:authenticated")

        let anonymous = try f.http(token: nil)
        #expect(try anonymous.request("GET", "/version").status == 200, "system:public-info-viewer")
        let api = try anonymous.request("GET", "/api")
        #expect(api.status == 403)
        #expect(api.json == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "reason": "Forbidden", "code": 403,
                             "message": "forbidden: User \"system:anonymous\" cannot get path \"/api\"", "details": [:]])
        let namespace = try anonymous.request("GET", "/api/v1/namespaces/default")
        #expect(namespace.json["message"] == "namespaces \"default\" is forbidden: User \"system:anonymous\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"")

        // Over HTTPS with KubeClient (Fixture.client): the admin, then alice.
        #expect(try await f.client().get(ConformanceTarget.namespaces, name: "default")[path: ["metadata", "name"]] == "default")
        await #expect(throws: KubeError.self) { _ = try await f.client(token: Self.alice).get(ConformanceTarget.namespaces, name: "default") }

        let bad = try f.http(token: "no-such-token")
        let unauthorized = try bad.request("GET", "/api/v1/namespaces")
        #expect(unauthorized.status == 401)
        #expect(unauthorized.json == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                                      "message": "Unauthorized", "reason": "Unauthorized", "code": 401])
        try await f.close()
    }

    @Test func tokenRequestTokensAuthenticateUntilTheServiceAccountGoes() async throws {
        let f = try await Self.start()
        let admin = try f.http()
        try Self.robotReadsSecrets(admin)
        let path = "/api/v1/namespaces/default/serviceaccounts/robot/token"
        let issued = try admin.request("POST", path, body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]])
        #expect(issued.status == 201)
        #expect(issued.json["kind"] == "TokenRequest")
        #expect(issued.json[path: ["spec", "expirationSeconds"]] == 3600)
        #expect(issued.json[path: ["spec", "audiences"]] == ["https://kubernetes.default.svc.cluster.local"])
        let token = try #require(issued.json[path: ["status", "token"]]?.stringValue)
        #expect(token.split(separator: ".").count == 3, "a JWT")
        let robot = try f.http(token: token)
        #expect(try robot.request("GET", "/api/v1/namespaces/default/secrets").status == 200)
        #expect(try robot.request("GET", "/api/v1/namespaces/default/configmaps").status == 403)
        let short = try admin.request("POST", path, body: ["spec": ["expirationSeconds": 60]])
        #expect(short.status == 422)
        #expect(short.json["message"] == "TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")
        #expect(try admin.request("POST", "/api/v1/namespaces/default/serviceaccounts/nobody/token", body: ["spec": [:]]).status == 404)
        #expect(try admin.request("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot").status == 200)
        #expect(try robot.request("GET", "/api/v1/namespaces/default/secrets").status == 401)
        try await f.close()
    }

    /// A token bound to a Pod carries the pod in its user's extra and dies with the pod.
    @Test func tokensBoundToAPod() async throws {
        let f = try await Self.start()
        let admin = try f.http()
        try Self.robotReadsSecrets(admin)
        let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["serviceAccountName": "robot", "containers": [["name": "c", "image": "busybox"]]]]
        let created = try admin.request("POST", "/api/v1/namespaces/default/pods", body: pod)
        #expect(created.status == 201)
        let path = "/api/v1/namespaces/default/serviceaccounts/robot/token"
        let issued = try admin.request("POST", path, body: ["spec": ["boundObjectRef": ["kind": "Pod", "apiVersion": "v1", "name": "p"]]])
        #expect(issued.status == 201)
        let token = try #require(issued.json[path: ["status", "token"]]?.stringValue)
        let me = try f.http(token: token).request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["kind": "SelfSubjectReview"])
        #expect(me.json[path: ["status", "userInfo", "extra", "authentication.kubernetes.io/pod-name"]] == ["p"])
        #expect(me.json[path: ["status", "userInfo", "extra", "authentication.kubernetes.io/pod-uid"]] == .array([created.json[path: ["metadata", "uid"]] ?? .null]))
        let other = try admin.request("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                                      body: ["spec": ["boundObjectRef": ["kind": "Pod", "apiVersion": "v1", "name": "p"]]])
        #expect(other.status == 400)
        #expect(other.json["message"] == "cannot bind token for serviceaccount \"default\" to pod running with different serviceaccount name.")
        let missing = try admin.request("POST", path, body: ["spec": ["boundObjectRef": ["kind": "Pod", "apiVersion": "v1", "name": "nope"]]])
        #expect(missing.status == 404)
        let kind = try admin.request("POST", path, body: ["spec": ["boundObjectRef": ["kind": "Deployment", "apiVersion": "apps/v1", "name": "d"]]])
        #expect(kind.json["message"] == "cannot bind token to object of type apps/v1, Kind=Deployment")
        #expect(try admin.request("DELETE", "/api/v1/namespaces/default/pods/p?gracePeriodSeconds=0").status == 200)
        #expect(try f.http(token: token).request("GET", "/api/v1/namespaces/default/secrets").status == 401)
        try await f.close()
    }

    /// A legacy `kubernetes.io/service-account-token` Secret gets its token from the token
    /// controller (after the create), and the token lives as long as the Secret.
    @Test func legacyServiceAccountTokenSecrets() async throws {
        let f = try await Self.start()
        let admin = try f.http()
        try Self.robotReadsSecrets(admin)
        let created = try admin.request("POST", "/api/v1/namespaces/default/secrets", body: [
            "metadata": ["name": "robot-token", "annotations": ["kubernetes.io/service-account.name": "robot"]],
            "type": "kubernetes.io/service-account-token"])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json[path: ["data", "token"]] == nil, "filled by the controller, after the create")
        let secret = try admin.request("GET", "/api/v1/namespaces/default/secrets/robot-token").json
        #expect(secret[path: ["data", "namespace"]] == .string(Data("default".utf8).base64EncodedString()))
        let encoded = try #require(secret[path: ["data", "token"]]?.stringValue)
        let token = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        let robot = try f.http(token: token)
        let me = try robot.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["kind": "SelfSubjectReview"])
        #expect(me.json[path: ["status", "userInfo", "username"]] == .string(Self.robot))
        #expect(try robot.request("GET", "/api/v1/namespaces/default/secrets").status == 200)
        #expect(try admin.request("DELETE", "/api/v1/namespaces/default/secrets/robot-token").status == 200)
        #expect(try robot.request("GET", "/api/v1/namespaces/default/secrets").status == 401)
        try await f.close()
    }

    @Test func openModeAllowsEverything() async throws {
        let f = try await Self.start(.alwaysAllow)
        let anonymous = try f.http(token: nil)
        #expect(try anonymous.request("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "x"]]).status == 201)
        #expect(try f.http(token: "anything").request("GET", "/api/v1/namespaces/default/configmaps/x").status == 200)
        let me = try f.http(token: Self.alice).request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: ["kind": "SelfSubjectReview"],
                                                        headers: ["Impersonate-User": "bob"])
        #expect(me.json[path: ["status", "userInfo", "username"]] == "bob")
        try await f.close()
    }

    /// Escalation checks run on the patched object too (what `kubectl edit` sends).
    @Test func patchingARoleBeyondOwnRightsIsRefused() async throws {
        let f = try await Self.start()
        let admin = try f.http()
        try Self.robotReadsSecrets(admin)
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", body: [
            "metadata": ["name": "robot-admin"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"],
            "subjects": [["kind": "ServiceAccount", "name": "robot", "namespace": "default"]]]).status == 201)
        let asRobot = ["Impersonate-User": Self.robot]
        #expect(try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", body: [
            "metadata": ["name": "r"], "rules": [["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]]]], headers: asRobot).status == 201)
        var patch = try admin.request("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/r",
                                      body: ["rules": [["verbs": ["get", "escalate"], "apiGroups": [""], "resources": ["pods", "nodes"]]]],
                                      headers: asRobot.merging(["Content-Type": "application/merge-patch+json"]) { a, _ in a })
        #expect(patch.status == 403)
        #expect(patch.json["message"] == .string("""
            roles.rbac.authorization.k8s.io "r" is forbidden: user "system:serviceaccount:default:robot" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
            {APIGroups:[""], Resources:["nodes"], Verbs:["get" "escalate"]}
            {APIGroups:[""], Resources:["pods"], Verbs:["escalate"]}
            """))
        patch = try admin.request("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/r",
                                  body: ["metadata": ["labels": ["a": "b"]]],
                                  headers: asRobot.merging(["Content-Type": "application/merge-patch+json"]) { a, _ in a })
        #expect(patch.status == 200)
        let missingRole = try admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", body: [
            "metadata": ["name": "to-nothing"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "nope"],
            "subjects": [["kind": "User", "name": "x"]]], headers: asRobot)
        #expect(missingRole.json["message"] == "rolebindings.rbac.authorization.k8s.io \"to-nothing\" is forbidden: roles.rbac.authorization.k8s.io \"nope\" not found")
        try await f.close()
    }
}

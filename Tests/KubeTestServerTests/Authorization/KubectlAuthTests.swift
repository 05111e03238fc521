import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The real kubectl against the server's authentication and RBAC: `auth can-i` (every form),
/// `auth whoami`, `create token` and the `create` commands that send RBAC kinds as protobuf.
@Suite(.enabled(if: Kubectl.path != nil, "kubectl not installed"))
struct KubectlAuthTests {
    @Test func createRBACObjectsTokensAndAskWhoAndWhat() async throws {
        let f = try await Fixture.start()
        let k = try f.kubectl()
        var r = try await k.run(["create", "serviceaccount", "robot"])
        #expect(r.out == "serviceaccount/robot created\n", "\(r.err)")
        r = try await k.run(["create", "role", "pod-reader", "--verb=get,list", "--resource=pods,pods/log", "--resource-name=p"])
        #expect(r.out == "role.rbac.authorization.k8s.io/pod-reader created\n", "\(r.err)")
        r = try await k.run(["create", "rolebinding", "robot-pods", "--role=pod-reader", "--serviceaccount=default:robot"])
        #expect(r.out == "rolebinding.rbac.authorization.k8s.io/robot-pods created\n", "\(r.err)")
        r = try await k.run(["create", "clusterrole", "node-reader", "--verb=get", "--resource=namespaces"])
        #expect(r.out == "clusterrole.rbac.authorization.k8s.io/node-reader created\n", "\(r.err)")
        r = try await k.run(["create", "clusterrolebinding", "robot-nodes", "--clusterrole=node-reader", "--serviceaccount=default:robot"])
        #expect(r.out == "clusterrolebinding.rbac.authorization.k8s.io/robot-nodes created\n", "\(r.err)")

        let roles = try #require(f.server.store.resourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles"))
        #expect(try f.server.store.get(roles, namespace: "default", name: "pod-reader")["rules"] ==
                [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "pods/log"], "resourceNames": ["p"]]])
        let bindings = try #require(f.server.store.resourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings"))
        let rb = try f.server.store.get(bindings, namespace: "default", name: "robot-pods")
        #expect(rb["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"])
        #expect(rb["subjects"] == [["kind": "ServiceAccount", "name": "robot", "namespace": "default"]])

        r = try await k.run(["auth", "whoami"])
        #expect(r.out.contains("kubernetes-admin"), "\(r.err)")
        #expect(r.out.contains("[system:masters system:authenticated]"))

        r = try await k.run(["create", "token", "robot"])
        let token = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(r.status == 0 && token.split(separator: ".").count == 3, "\(r.err)")
        r = try await k.run(["--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"])
        #expect(r.out == "system:serviceaccount:default:robot", "\(r.err)")
        r = try await k.run(["--token", token, "get", "pods", "p", "-o", "name"])
        #expect(r.err.contains("pods \"p\" not found"), "allowed by resourceName, then 404: \(r.err)")
        r = try await k.run(["--token", token, "get", "pods"])
        #expect(r.err.contains("pods is forbidden: User \"system:serviceaccount:default:robot\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""), "\(r.err)")
        try await f.close()
    }

    @Test func canIInEveryForm() async throws {
        let f = try await Fixture.start()
        let k = try f.kubectl()
        _ = try await k.run(["create", "serviceaccount", "robot"])
        _ = try await k.run(["create", "clusterrole", "secret-reader", "--verb=get,list", "--resource=secrets"])
        _ = try await k.run(["create", "rolebinding", "robot-reader", "--clusterrole=secret-reader", "--serviceaccount=default:robot"])
        let robot = "--as=system:serviceaccount:default:robot"
        var r = try await k.run(["auth", "can-i", "create", "pods"])
        #expect(r.out == "yes\n" && r.status == 0, "\(r.err)")
        r = try await k.run(["auth", "can-i", "get", "secrets", robot])
        #expect(r.out == "yes\n" && r.status == 0, "\(r.err)")
        r = try await k.run(["auth", "can-i", "delete", "secrets", robot])
        #expect(r.out == "no\n" && r.status == 1, "\(r.err)")
        r = try await k.run(["auth", "can-i", "get", "secrets", robot, "-n", "kube-system"])
        #expect(r.out == "no\n", "\(r.err)")
        r = try await k.run(["auth", "can-i", "get", "secrets/s", robot])
        #expect(r.out == "yes\n", "\(r.err)")
        r = try await k.run(["auth", "can-i", "get", "/healthz", robot])
        #expect(r.out == "yes\n", "system:public-info-viewer: \(r.err)")
        r = try await k.run(["auth", "can-i", "get", "/logs", robot])
        #expect(r.out == "no\n", "\(r.err)")
        r = try await k.run(["auth", "can-i", "delete", "secrets", "--as=system:serviceaccount:default:robot", "--as-group=system:masters"])
        #expect(r.out == "yes\n", "\(r.err)")
        r = try await k.run(["auth", "can-i", "--list", robot])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.first == "Resources Non-Resource URLs Resource Names Verbs")
        #expect(lines.contains("secrets [] [] [get list]"), "\(r.out)")
        #expect(lines.contains("selfsubjectreviews.authentication.k8s.io [] [] [create]"), "\(r.out)")
        r = try await k.run(["auth", "can-i", "--list", "-n", "default"])
        let admin = r.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(admin.contains("*.* [] [] [*]"), "cluster-admin via system:masters: \(r.out)")
        #expect(admin.contains("[/api/*] [] [get]"), "system:discovery: \(r.out)")
        try await f.close()
    }
}

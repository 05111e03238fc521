import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import YAML

/// The agent ClusterRoles of CRDs/, bound in a namespace and evaluated by the server's RBAC
/// authorizer through SubjectAccessReviews: what SPEC §5 says an agent needs is allowed, what §7
/// forbids is denied. Runs unchanged against a real cluster (roles get a per-test name suffix and
/// are deleted afterwards).
@Suite(.serialized) struct AgentRBACTests {
    static let clusterRoles = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles",
                                                 kind: "ClusterRole", namespaced: false)
    static let roleBindings = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings",
                                                 kind: "RoleBinding", namespaced: true)
    static let reviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews",
                                            kind: "SubjectAccessReview", namespaced: false)

    /// (verb, group, resource, subresource)
    typealias Access = (String, String, String, String?)

    static let fullEnvAllowed: [Access] = [
        ("create", "", "pods", nil), ("get", "", "pods", "log"), ("create", "", "pods", "exec"), ("create", "", "pods", "portforward"),
        ("create", "", "services", nil), ("update", "", "configmaps", nil), ("create", "", "persistentvolumeclaims", nil),
        ("list", "", "events", nil), ("create", "apps", "deployments", nil), ("patch", "apps", "statefulsets", nil),
        ("create", "batch", "jobs", nil), ("create", "networking.k8s.io", "ingresses", nil),
    ]
    static let forbiddenToBoth: [Access] = [
        ("get", "", "secrets", nil), ("list", "", "secrets", nil), ("create", "rbac.authorization.k8s.io", "rolebindings", nil),
        ("create", "", "serviceaccounts", "token"), ("delete", "networking.k8s.io", "networkpolicies", nil),
        ("update", "", "resourcequotas", nil), ("impersonate", "", "users", nil), ("escalate", "rbac.authorization.k8s.io", "roles", nil),
        ("bind", "rbac.authorization.k8s.io", "clusterroles", nil),
    ]
    static let codeOnlyAllowed: [Access] = [("get", "", "pods", nil), ("get", "", "pods", "log"), ("list", "", "events", nil)]
    static let codeOnlyDenied: [Access] = [("create", "", "pods", nil), ("create", "", "pods", "exec"), ("delete", "", "pods", nil),
                                           ("create", "apps", "deployments", nil)]

    @Test func rolesGrantWhatAgentsNeedAndNothingSection7Forbids() async throws {
        try await CRDTarget.with { t in
            let c = t.client
            let roles = try YAMLNode.parseDocuments(Array(EmbeddedManifests.agentClusterRoles.utf8)).map { try $0.jsonValue() }
            var created: [String] = []
            do {
                for var role in roles {
                    let name = "\(role[path: ["metadata", "name"]]!.stringValue!)-\(t.suffix)"
                    role.set(path: ["metadata", "name"], to: .string(name))
                    _ = try await c.create(Self.clusterRoles, role)
                    created.append(name)
                }
                for (role, sa) in zip(created, ["agent-full", "agent-code"]) {
                    _ = try await c.create(Self.roleBindings, namespace: t.namespace, [
                        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                        "metadata": ["name": .string(sa), "namespace": .string(t.namespace)],
                        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
                        "subjects": [["kind": "ServiceAccount", "name": .string(sa), "namespace": .string(t.namespace)]],
                    ])
                }
                for access in Self.fullEnvAllowed {
                    #expect(try await Self.allowed(c, "agent-full", t.namespace, access), "full-env: \(access)")
                }
                for access in Self.codeOnlyAllowed {
                    #expect(try await Self.allowed(c, "agent-code", t.namespace, access), "code-only: \(access)")
                }
                for access in Self.forbiddenToBoth {
                    #expect(try await !Self.allowed(c, "agent-full", t.namespace, access), "full-env: \(access)")
                    #expect(try await !Self.allowed(c, "agent-code", t.namespace, access), "code-only: \(access)")
                }
                for access in Self.codeOnlyDenied {
                    #expect(try await !Self.allowed(c, "agent-code", t.namespace, access), "code-only: \(access)")
                }
                #expect(try await !Self.allowed(c, "agent-full", t.namespace, ("create", "", "pods", nil), in: "default"), "only inside its namespace")
            } catch {
                for name in created { _ = try? await c.delete(Self.clusterRoles, name: name) }
                throw error
            }
            for name in created { _ = try await c.delete(Self.clusterRoles, name: name) }
        }
    }

    /// Whether ServiceAccount `sa` of `namespace` may do `access` in `target` (default: its own namespace).
    static func allowed(_ c: KubeClient, _ sa: String, _ namespace: String, _ access: Access, in target: String? = nil) async throws -> Bool {
        var attributes: JSONValue = ["namespace": .string(target ?? namespace), "verb": .string(access.0), "group": .string(access.1),
                                     "resource": .string(access.2)]
        if let sub = access.3 { attributes["subresource"] = .string(sub) }
        let user = "system:serviceaccount:\(namespace):\(sa)"
        let review = try await c.create(reviews, [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": ["user": .string(user), "groups": ["system:serviceaccounts", .string("system:serviceaccounts:\(namespace)"), "system:authenticated"],
                     "resourceAttributes": attributes],
        ])
        return review[path: ["status", "allowed"]] == true
    }
}

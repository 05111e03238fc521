import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: how RBAC rules match requests (`rbac.RuleAllows`), asked through
/// SubjectAccessReview — in memory and unchanged against a real cluster.
@Suite(.serialized) struct RBACRuleConformanceTests {
    typealias T = ConformanceTarget

    /// One rule, one request, the decision: each matching rule of `rbac.RuleAllows`.
    struct Case: Sendable, CustomStringConvertible {
        var rule: JSONValue
        var attributes: JSONValue
        var allowed: Bool
        var description: String { "\(rule.jsonString()) \(attributes.jsonString()) → \(allowed)" }
    }

    static let cases: [Case] = [
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]], attributes: ["verb": "get", "resource": "pods"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]], attributes: ["verb": "delete", "resource": "pods"], allowed: false),
        Case(rule: ["verbs": ["*"], "apiGroups": [""], "resources": ["pods"]], attributes: ["verb": "deletecollection", "resource": "pods"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["*"]], attributes: ["verb": "get", "resource": "secrets"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["*"]], attributes: ["verb": "get", "group": "batch", "resource": "jobs"], allowed: false),
        Case(rule: ["verbs": ["list"], "apiGroups": ["*"], "resources": ["jobs"]], attributes: ["verb": "list", "group": "batch", "resource": "jobs"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]],
             attributes: ["verb": "get", "resource": "pods", "subresource": "log", "name": "p"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]], attributes: ["verb": "get", "resource": "pods", "name": "p"], allowed: false),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]],
             attributes: ["verb": "get", "resource": "pods", "subresource": "log", "name": "p"], allowed: false),
        Case(rule: ["verbs": ["update"], "apiGroups": ["*"], "resources": ["*/status"]],
             attributes: ["verb": "update", "group": "batch", "resource": "jobs", "subresource": "status", "name": "j"], allowed: true),
        Case(rule: ["verbs": ["update"], "apiGroups": ["*"], "resources": ["*/status"]],
             attributes: ["verb": "update", "group": "batch", "resource": "jobs", "name": "j"], allowed: false),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]],
             attributes: ["verb": "get", "resource": "configmaps", "name": "a"], allowed: true),
        Case(rule: ["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]],
             attributes: ["verb": "get", "resource": "configmaps", "name": "b"], allowed: false),
        Case(rule: ["verbs": ["list"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["a"]],
             attributes: ["verb": "list", "resource": "configmaps"], allowed: false),
        Case(rule: ["verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments"]],
             attributes: ["verb": "get", "group": "extensions", "resource": "deployments"], allowed: false),
    ]

    @Test func ruleMatchingTable() async throws {
        let t = try await T.start()
        let c = t.client
        for (i, k) in Self.cases.enumerated() {
            let user = "u\(i)-\(t.suffix)"
            // A sentinel rule shows when the binding is in effect (a real cluster's RBAC cache lags).
            let sentinel: JSONValue = ["verbs": ["get"], "apiGroups": ["probe.example.com"], "resources": ["sentinels"]]
            _ = try await c.create(T.roles, namespace: t.namespace, T.role("Role", "r\(i)", namespace: t.namespace, rules: [k.rule, sentinel]))
            _ = try await c.create(T.roleBindings, namespace: t.namespace,
                                   T.binding("RoleBinding", "rb\(i)", namespace: t.namespace, roleKind: "Role", role: "r\(i)",
                                             subjects: [T.user(user)]))
            try await T.eventually("binding rb\(i)") {
                try await t.sar(user: user, resource: ["verb": "get", "group": "probe.example.com", "resource": "sentinels",
                                                       "namespace": .string(t.namespace)])["allowed"] == true
            }
            var attributes = k.attributes
            attributes["namespace"] = .string(t.namespace)
            let status = try await t.sar(user: user, resource: attributes)
            #expect(status["allowed"] == .bool(k.allowed), "\(k)")
            if k.allowed {
                #expect(status["reason"] == .string("RBAC: allowed by RoleBinding \"rb\(i)/\(t.namespace)\" of Role \"r\(i)\" to User \"\(user)\""))
            }
        }
        try await t.close()
    }

    @Test func nonResourceURLsAndClusterBindings() async throws {
        let t = try await T.start()
        let c = t.client
        let name = "conf-urls-\(t.suffix)"
        let user = "urls-\(t.suffix)"
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", name, rules: [["verbs": ["get"], "nonResourceURLs": ["/healthz/*", "/metrics"]]]))
        _ = try await c.create(T.clusterRoleBindings, T.binding("ClusterRoleBinding", name, roleKind: "ClusterRole", role: name,
                                                                subjects: [T.user(user)]))
        defer { Task { _ = try? await c.delete(T.clusterRoleBindings, name: name); _ = try? await c.delete(T.clusterRoles, name: name) } }
        try await T.eventually("the ClusterRoleBinding") {
            try await t.sar(user: user, nonResource: ["verb": "get", "path": "/metrics"])["allowed"] == true
        }
        let allowed = try await t.sar(user: user, nonResource: ["verb": "get", "path": "/healthz/etcd"])
        #expect(allowed["allowed"] == true)
        #expect(allowed["reason"] == .string("RBAC: allowed by ClusterRoleBinding \"\(name)\" of ClusterRole \"\(name)\" to User \"\(user)\""))
        #expect(try await t.sar(user: user, nonResource: ["verb": "get", "path": "/metricsx"])["allowed"] == false)
        #expect(try await t.sar(user: user, nonResource: ["verb": "post", "path": "/metrics"])["allowed"] == false)
        // Cluster-wide bindings apply in every namespace; a group subject matches its members.
        #expect(try await t.sar(user: "x", groups: ["system:masters"],
                                resource: ["verb": "delete", "resource": "secrets", "namespace": .string(t.namespace)])["allowed"] == true)
        try await t.close()
    }
}

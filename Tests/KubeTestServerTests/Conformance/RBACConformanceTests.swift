import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: RBAC evaluation, authentication and access reviews, as a real kube-apiserver
/// answers them (FINDINGS A1) — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct RBACConformanceTests {
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

    /// FINDINGS A1: a ServiceAccount bound by a RoleBinding to a get/list ClusterRole may read
    /// secrets but not delete them, in the review and on the real request (with its token).
    @Test func serviceAccountBoundToReadOnlyClusterRole() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = t.namespace
        let reader = "conf-reader-\(t.suffix)"
        _ = try await c.create(T.serviceAccounts, namespace: ns, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"]])
        _ = try await c.create(T.secrets, namespace: ns, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "stringData": ["k": "v"]])
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", reader, rules: [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["secrets"]]]))
        defer { Task { _ = try? await c.delete(T.clusterRoles, name: reader) } }
        _ = try await c.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "robot-reader", namespace: ns, roleKind: "ClusterRole",
                                                                         role: reader, subjects: [T.serviceAccount("robot", ns)]))
        let robot = "system:serviceaccount:\(ns):robot"
        try await T.eventually("the RoleBinding") {
            try await t.sar(user: robot, resource: ["verb": "get", "resource": "secrets", "namespace": .string(ns)])["allowed"] == true
        }
        let get = try await t.sar(user: robot, resource: ["verb": "get", "resource": "secrets", "namespace": .string(ns)])
        #expect(get["reason"] == .string("RBAC: allowed by RoleBinding \"robot-reader/\(ns)\" of ClusterRole \"\(reader)\" to ServiceAccount \"robot/\(ns)\""))
        let delete = try await t.sar(user: robot, resource: ["verb": "delete", "resource": "secrets", "namespace": .string(ns)])
        #expect(delete["allowed"] == false)
        #expect(try await t.sar(user: robot, resource: ["verb": "get", "resource": "secrets", "namespace": "default"])["allowed"] == false)

        let (_, asRobot) = try await t.clientAs(serviceAccount: "robot")
        #expect(try await asRobot.get(T.secrets, namespace: ns, name: "s")[path: ["data", "k"]] == "dg==")
        let denied = await T.error { _ = try await asRobot.delete(T.secrets, namespace: ns, name: "s") }
        #expect(denied == .forbidden(kind: "secrets", name: "s",
                                     message: "secrets \"s\" is forbidden: User \"\(robot)\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"\(ns)\""))
        let listAll = await T.error { _ = try await asRobot.list(T.secrets) }
        #expect(listAll?.code == 403)
        if case .forbidden(_, _, let message)? = listAll {
            #expect(message == "secrets is forbidden: User \"\(robot)\" cannot list resource \"secrets\" in API group \"\" at the cluster scope")
        }

        // Who the token is, what it may do: SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview.
        let me = try await asRobot.review(T.selfSubjectReviews, ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        #expect(me[path: ["status", "userInfo", "username"]] == .string(robot))
        let groups = (me[path: ["status", "userInfo", "groups"]]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(groups == ["system:serviceaccounts", "system:serviceaccounts:\(ns)", "system:authenticated"])
        let ssar = try await asRobot.review(T.selfSubjectAccessReviews, [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": ["resourceAttributes": ["verb": "list", "resource": "secrets", "namespace": .string(ns)]]])
        #expect(ssar[path: ["status", "allowed"]] == true)
        let ssrr = try await asRobot.review(T.selfSubjectRulesReviews, [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": .string(ns)]])
        let rules = ssrr[path: ["status", "resourceRules"]]?.arrayValue ?? []
        #expect(rules.contains { $0["resources"] == ["secrets"] && $0["verbs"] == ["get", "list"] })
        #expect(rules.contains { $0["resources"] == ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] })
        #expect(ssrr[path: ["status", "incomplete"]] == false)
        try await t.close()
    }

    /// Creating a Role or RoleBinding needs the rules it grants, unless the user may `escalate`
    /// roles or `bind` the referenced role.
    @Test func privilegeEscalationPrevention() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = t.namespace
        let strong = "conf-strong-\(t.suffix)"
        let binder = "conf-binder-\(t.suffix)"
        _ = try await c.create(T.serviceAccounts, namespace: ns, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"]])
        let storage: JSONValue = ["verbs": ["get"], "apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"]]
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", strong, rules: [storage]))
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", binder, rules: [
            ["verbs": ["bind"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "resourceNames": [.string(strong)]],
            ["verbs": ["escalate"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"]],
        ]))
        defer { Task { _ = try? await c.delete(T.clusterRoles, name: strong); _ = try? await c.delete(T.clusterRoles, name: binder) } }
        _ = try await c.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "robot-admin", namespace: ns, roleKind: "ClusterRole",
                                                                         role: "admin", subjects: [T.serviceAccount("robot", ns)]))
        let robotName = "system:serviceaccount:\(ns):robot"
        try await T.eventually("the admin RoleBinding") {
            try await t.sar(user: robotName, resource: ["verb": "create", "group": "rbac.authorization.k8s.io", "resource": "roles",
                                                         "namespace": .string(ns)])["allowed"] == true
        }
        let (_, robot) = try await t.clientAs(serviceAccount: "robot")
        let groups = "[\"system:serviceaccounts\" \"system:serviceaccounts:\(ns)\" \"system:authenticated\"]"
        // Within its own rights: allowed.
        _ = try await robot.create(T.roles, namespace: ns, T.role("Role", "fine", namespace: ns,
                                                                  rules: [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]]]))
        // Beyond them: the real refusal, naming what is missing.
        let role = await T.error { _ = try await robot.create(T.roles, namespace: ns, T.role("Role", "too-much", namespace: ns, rules: [storage])) }
        #expect(role == .forbidden(kind: "roles", name: "too-much", message: """
            roles.rbac.authorization.k8s.io "too-much" is forbidden: user "\(robotName)" (groups=\(groups)) is attempting to grant RBAC permissions not currently held:
            {APIGroups:["storage.k8s.io"], Resources:["storageclasses"], Verbs:["get"]}
            """))
        let binding = await T.error {
            _ = try await robot.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "to-strong", namespace: ns, roleKind: "ClusterRole",
                                                                                role: strong, subjects: [T.user("someone")]))
        }
        #expect(binding?.code == 403)
        if case .forbidden(_, _, let message)? = binding {
            #expect(message.hasPrefix("rolebindings.rbac.authorization.k8s.io \"to-strong\" is forbidden: user \"\(robotName)\" (groups=\(groups)) is attempting to grant RBAC permissions not currently held:"))
        }
        // With `bind` on that ClusterRole and `escalate` on roles: allowed.
        _ = try await c.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "robot-binder", namespace: ns, roleKind: "ClusterRole",
                                                                         role: binder, subjects: [T.serviceAccount("robot", ns)]))
        try await T.eventually("bind on \(strong)") {
            (try? await robot.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "to-strong", namespace: ns, roleKind: "ClusterRole",
                                                                             role: strong, subjects: [T.user("someone")]))) != nil
        }
        try await T.eventually("escalate on roles") {
            (try? await robot.create(T.roles, namespace: ns, T.role("Role", "too-much", namespace: ns, rules: [storage]))) != nil
        }
        try await t.close()
    }

    /// A ClusterRole with an `aggregationRule` gets the rules of the ClusterRoles its selector
    /// matches; the default `view` aggregates `system:aggregate-to-view`.
    @Test func clusterRoleAggregation() async throws {
        let t = try await T.start()
        let c = t.client
        let aggregate = "conf-agg-\(t.suffix)"
        let source = "conf-src-\(t.suffix)"
        var agg = T.role("ClusterRole", aggregate, rules: [])
        agg["aggregationRule"] = ["clusterRoleSelectors": [["matchLabels": ["conf-agg": .string(t.suffix)]]]]
        _ = try await c.create(T.clusterRoles, agg)
        defer { Task { _ = try? await c.delete(T.clusterRoles, name: aggregate); _ = try? await c.delete(T.clusterRoles, name: source) } }
        let rule: JSONValue = ["verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]]
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", source, rules: [rule], labels: ["conf-agg": t.suffix]))
        try await T.eventually("aggregated rules") {
            try await c.get(T.clusterRoles, name: aggregate)["rules"] == [rule]
        }
        _ = try await c.delete(T.clusterRoles, name: source)
        try await T.eventually("rules removed with their source") {
            (try await c.get(T.clusterRoles, name: aggregate)["rules"]?.arrayValue ?? []).isEmpty
        }
        let view = try await c.get(T.clusterRoles, name: "view")
        #expect(view[path: ["metadata", "labels", "rbac.authorization.k8s.io/aggregate-to-edit"]] == "true")
        #expect((view["rules"]?.arrayValue ?? []).contains { ($0["resources"]?.arrayValue ?? []).contains("configmaps") })
        let edit = try await t.sar(user: "e", groups: ["g-\(t.suffix)"], resource: ["verb": "create", "resource": "secrets", "namespace": .string(t.namespace)])
        #expect(edit["allowed"] == false)
        try await t.close()
    }

    @Test func reviewsWithoutAttributesAreInvalid() async throws {
        let t = try await T.start()
        let e = await T.error {
            _ = try await t.client.review(T.subjectAccessReviews, ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                                                                   "spec": ["user": "bob"]])
        }
        #expect(e?.code == 422)
        #expect(e?.description.contains("exactly one of nonResourceAttributes or resourceAttributes must be specified") == true)
        let rules = await T.error {
            _ = try await t.client.review(T.selfSubjectRulesReviews, ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                                                                      "spec": [:]])
        }
        #expect(rules?.code == 400)
        try await t.close()
    }

    /// No credentials: `system:anonymous`, denied resources with the real 403; a bad token: 401.
    @Test func anonymousAndInvalidTokens() async throws {
        let t = try await T.start()
        let anonymous = t.client(credentials: .none)
        let e = await T.error { _ = try await anonymous.list(T.configMaps, namespace: t.namespace) }
        #expect(e == .forbidden(kind: "configmaps", name: nil, message:
            "configmaps is forbidden: User \"system:anonymous\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(t.namespace)\""))
        let bad = t.client(credentials: .token("not-a-valid-token"))
        let u = await T.error { _ = try await bad.list(T.configMaps, namespace: t.namespace) }
        #expect(u?.code == 401)
        try await t.close()
    }
}

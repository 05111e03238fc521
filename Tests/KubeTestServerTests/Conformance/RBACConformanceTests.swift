import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: RBAC evaluation, authentication and access reviews, as a real kube-apiserver
/// answers them (FINDINGS A1) — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct RBACConformanceTests {
    typealias T = ConformanceTarget

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

    /// The product's operator (SPEC §7): it holds `bind` on exactly two agent ClusterRoles, not
    /// their rules, so it may bind those two in a run namespace and nothing else.
    @Test func operatorBindsOnlyTheClusterRolesItMayBind() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = t.namespace
        let (agent, viewer, op) = ("conf-agent-\(t.suffix)", "conf-viewer-\(t.suffix)", "conf-operator-\(t.suffix)")
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", agent, rules: [
            ["verbs": ["create", "get", "list", "watch", "delete"], "apiGroups": [""], "resources": ["pods", "configmaps"]]]))
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", viewer, rules: [["verbs": ["get", "list"], "apiGroups": ["batch"], "resources": ["jobs"]]]))
        _ = try await c.create(T.clusterRoles, T.role("ClusterRole", op, rules: [
            ["verbs": ["create", "get"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["rolebindings"]],
            ["verbs": ["bind"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
             "resourceNames": [.string(agent), .string(viewer)]]]))
        _ = try await c.create(T.serviceAccounts, namespace: ns, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "operator"]])
        _ = try await c.create(T.clusterRoleBindings, T.binding("ClusterRoleBinding", op, roleKind: "ClusterRole", role: op,
                                                                subjects: [T.serviceAccount("operator", ns)]))
        defer {
            Task {
                _ = try? await c.delete(T.clusterRoleBindings, name: op)
                for name in [agent, viewer, op] { _ = try? await c.delete(T.clusterRoles, name: name) }
            }
        }
        let (_, asOperator) = try await t.clientAs(serviceAccount: "operator")
        try await T.eventually("bind on \(agent)") {
            (try? await asOperator.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "agent", namespace: ns, roleKind: "ClusterRole",
                                                                                role: agent, subjects: [T.serviceAccount("default", ns)]))) != nil
        }
        _ = try await asOperator.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "viewer", namespace: ns, roleKind: "ClusterRole",
                                                                              role: viewer, subjects: [T.serviceAccount("default", ns)]))
        let edit = await T.error {
            _ = try await asOperator.create(T.roleBindings, namespace: ns, T.binding("RoleBinding", "edit", namespace: ns, roleKind: "ClusterRole",
                                                                                  role: "edit", subjects: [T.serviceAccount("default", ns)]))
        }
        #expect(edit?.code == 403)
        if case .forbidden(_, _, let message)? = edit {
            #expect(message.hasPrefix("rolebindings.rbac.authorization.k8s.io \"edit\" is forbidden: user \"system:serviceaccount:\(ns):operator\""))
            #expect(message.contains("is attempting to grant RBAC permissions not currently held:\n"))
            #expect(message.contains("\n{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"create\" \"delete\" \"deletecollection\" \"patch\" \"update\""))
        }
        let delete = await T.error { _ = try await asOperator.delete(T.roleBindings, namespace: ns, name: "agent") }
        #expect(delete?.code == 403)
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

    /// A legacy ServiceAccount token Secret is filled by the token controller; its token authenticates.
    @Test func legacyServiceAccountTokenSecret() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = t.namespace
        _ = try await c.create(T.serviceAccounts, namespace: ns, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "legacy"]])
        _ = try await c.create(T.secrets, namespace: ns, [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": ["name": "legacy-token", "annotations": ["kubernetes.io/service-account.name": "legacy"]]])
        var encoded = ""
        try await T.eventually("the token controller") {
            encoded = try await c.get(T.secrets, namespace: ns, name: "legacy-token")[path: ["data", "token"]]?.stringValue ?? ""
            return !encoded.isEmpty
        }
        let token = String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
        let me = try await t.client(credentials: .token(token)).review(T.selfSubjectReviews, [
            "apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        #expect(me[path: ["status", "userInfo", "username"]] == .string("system:serviceaccount:\(ns):legacy"))
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

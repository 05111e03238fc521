import KubeAPI

/// The default ClusterRoles and ClusterRoleBindings a kube-apiserver 1.35 creates at start
/// (`plugin/pkg/auth/authorizer/rbac/bootstrappolicy`), limited to the user-facing ones:
/// `cluster-admin`, the aggregated `admin`/`edit`/`view` and their `system:aggregate-to-*`
/// sources, `system:discovery`, `system:basic-user` and `system:public-info-viewer`.
/// Controller and node roles are left out (no controller runs as those users here).
enum BootstrapPolicy {
    static let read = ["get", "list", "watch"]
    static let write = ["create", "delete", "deletecollection", "patch", "update"]
    static let readWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    static func rule(_ verbs: [String], _ groups: [String], _ resources: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources)
    }

    static func urls(_ verbs: [String], _ urls: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, nonResourceURLs: urls)
    }

    /// (name, extra labels, aggregate-to label selected by its aggregationRule, rules).
    static let clusterRoles: [(name: String, labels: [String: String], aggregates: String?, rules: [PolicyRule])] = [
        ("cluster-admin", [:], nil, [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
        ("admin", [:], "rbac.authorization.k8s.io/aggregate-to-admin", []),
        ("edit", ["rbac.authorization.k8s.io/aggregate-to-admin": "true"], "rbac.authorization.k8s.io/aggregate-to-edit", []),
        ("view", ["rbac.authorization.k8s.io/aggregate-to-edit": "true"], "rbac.authorization.k8s.io/aggregate-to-view", []),
        ("system:aggregate-to-admin", ["rbac.authorization.k8s.io/aggregate-to-admin": "true"], nil, [
            rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            rule(readWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
        ]),
        ("system:aggregate-to-edit", ["rbac.authorization.k8s.io/aggregate-to-edit": "true"], nil, [
            rule(read, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
            rule(["impersonate"], [""], ["serviceaccounts"]),
            rule(write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
            rule(["create"], [""], ["pods/eviction"]),
            rule(write, [""], ["configmaps", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                               "secrets", "serviceaccounts", "services", "services/proxy"]),
            rule(["create"], [""], ["serviceaccounts/token"]),
            rule(write, ["", "events.k8s.io"], ["events"]),
            rule(write, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                                   "replicasets/scale", "statefulsets", "statefulsets/scale"]),
            rule(write, ["autoscaling"], ["horizontalpodautoscalers"]),
            rule(write, ["batch"], ["cronjobs", "jobs"]),
            rule(write, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                                         "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"]),
            rule(write, ["policy"], ["poddisruptionbudgets"]),
            rule(write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
            rule(readWrite, ["coordination.k8s.io"], ["leases"]),
            rule(write, ["resource.k8s.io"], ["resourceclaims", "resourceclaimtemplates"]),
        ]),
        ("system:aggregate-to-view", ["rbac.authorization.k8s.io/aggregate-to-view": "true"], nil, [
            rule(read, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                              "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                              "services/status"]),
            rule(read, [""], ["bindings", "limitranges", "namespaces/status", "pods/log", "pods/status",
                              "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
            rule(read, [""], ["namespaces"]),
            rule(read, ["", "events.k8s.io"], ["events"]),
            rule(read, ["discovery.k8s.io"], ["endpointslices"]),
            rule(read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                  "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                                  "statefulsets/scale", "statefulsets/status"]),
            rule(read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            rule(read, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
            rule(read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                                        "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale",
                                        "replicasets/status", "replicationcontrollers/scale"]),
            rule(read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            rule(read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
            rule(read, ["resource.k8s.io"], ["resourceclaims", "resourceclaims/status", "resourceclaimtemplates"]),
        ]),
        ("system:basic-user", [:], nil, [
            rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        ("system:discovery", [:], nil, [
            urls(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
                           "/version", "/version/"]),
        ]),
        ("system:public-info-viewer", [:], nil, [
            urls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ]),
    ]

    /// (binding name = role name, groups bound).
    static let clusterRoleBindings: [(name: String, groups: [String])] = [
        ("cluster-admin", [UserInfo.privilegedGroup]),
        ("system:basic-user", [UserInfo.allAuthenticated]),
        ("system:discovery", [UserInfo.allAuthenticated]),
        ("system:public-info-viewer", [UserInfo.allAuthenticated, UserInfo.allUnauthenticated]),
    ]

    static func metadata(_ name: String, labels: [String: String]) -> JSONValue {
        var l: [String: JSONValue] = ["kubernetes.io/bootstrapping": "rbac-defaults"]
        for (k, v) in labels { l[k] = .string(v) }
        return ["name": .string(name), "labels": .object(l),
                "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"]]
    }

    static func clusterRoleObjects() -> [JSONValue] {
        clusterRoles.map { r in
            var o: JSONValue = ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                "metadata": metadata(r.name, labels: r.labels)]
            if let label = r.aggregates {
                o["aggregationRule"] = ["clusterRoleSelectors": [["matchLabels": [label: "true"]]]]
            } else {
                o["rules"] = .array(r.rules.map(\.json))
            }
            return o
        }
    }

    static func clusterRoleBindingObjects() -> [JSONValue] {
        clusterRoleBindings.map { b in
            ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
             "metadata": metadata(b.name, labels: [:]),
             "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(b.name)],
             "subjects": .array(b.groups.map { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)] })]
        }
    }
}

extension StoreState {
    /// Creates the bootstrap ClusterRoles and ClusterRoleBindings (and aggregates admin/edit/view).
    mutating func bootstrapRBAC() {
        guard let roles = registry.lookup(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles"),
              let bindings = registry.lookup(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings")
        else { return }
        for o in BootstrapPolicy.clusterRoleObjects() { _ = try? create(roles, namespace: nil, body: o, options: WriteOptions()) }
        for o in BootstrapPolicy.clusterRoleBindingObjects() { _ = try? create(bindings, namespace: nil, body: o, options: WriteOptions()) }
    }
}

/// The built-in kinds the test server serves (the ones codex-k8s and kubectl touch).
///
/// Scope, short names, categories and subresources match kube-apiserver 1.35.
enum BuiltinResources {
    static let all: [ResourceType] = [
        // core/v1
        ResourceType(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false,
                     shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                     subresources: ["status", "finalize"]),
        ResourceType(group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true,
                     shortNames: ["sa"], hasSpec: false),
        ResourceType(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true, hasSpec: false),
        ResourceType(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true,
                     shortNames: ["cm"], hasSpec: false),
        ResourceType(group: "", version: "v1", plural: "resourcequotas", kind: "ResourceQuota", namespaced: true,
                     shortNames: ["quota"], subresources: ["status"]),
        ResourceType(group: "", version: "v1", plural: "limitranges", kind: "LimitRange", namespaced: true,
                     shortNames: ["limits"]),
        ResourceType(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true,
                     shortNames: ["po"], categories: ["all"], subresources: ["status", "log", "eviction"]),
        ResourceType(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true,
                     shortNames: ["ev"], hasSpec: false),
        // batch/v1
        ResourceType(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true,
                     categories: ["all"], subresources: ["status"]),
        // networking.k8s.io/v1
        ResourceType(group: "networking.k8s.io", version: "v1", plural: "networkpolicies", kind: "NetworkPolicy",
                     namespaced: true, shortNames: ["netpol"]),
        // rbac.authorization.k8s.io/v1
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", kind: "ClusterRole",
                     namespaced: false, hasSpec: false),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings",
                     kind: "ClusterRoleBinding", namespaced: false, hasSpec: false),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", kind: "Role",
                     namespaced: true, hasSpec: false),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", kind: "RoleBinding",
                     namespaced: true, hasSpec: false),
        // coordination.k8s.io/v1
        ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true),
        // events.k8s.io/v1: another API for the core events (one storage, fields converted)
        {
            var t = ResourceType(group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true,
                                 shortNames: ["ev"], hasSpec: false)
            t.sharesStorage = "events"
            return t
        }(),
        // apiextensions.k8s.io/v1
        ResourceType(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                     kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"],
                     categories: ["api-extensions"], subresources: ["status"]),
        // authorization.k8s.io/v1 (create-only reviews, answered by the server's policy)
        ResourceType(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews",
                     kind: "SubjectAccessReview", namespaced: false, verbs: ["create"]),
        ResourceType(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                     kind: "SelfSubjectAccessReview", namespaced: false, verbs: ["create"]),
        ResourceType(group: "authorization.k8s.io", version: "v1", plural: "localsubjectaccessreviews",
                     kind: "LocalSubjectAccessReview", namespaced: true, verbs: ["create"]),
        ResourceType(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectrulesreviews",
                     kind: "SelfSubjectRulesReview", namespaced: false, verbs: ["create"]),
        // authentication.k8s.io/v1 (answered by Authentication/)
        ResourceType(group: "authentication.k8s.io", version: "v1", plural: "selfsubjectreviews",
                     kind: "SelfSubjectReview", namespaced: false, verbs: ["create"]),
    ] + WorkloadResources.all

    /// Resources whose objects are never stored: a create computes and returns an answer.
    static let reviewKinds: Set<String> = ["subjectaccessreviews.authorization.k8s.io",
                                           "selfsubjectaccessreviews.authorization.k8s.io",
                                           "localsubjectaccessreviews.authorization.k8s.io",
                                           "selfsubjectrulesreviews.authorization.k8s.io",
                                           "selfsubjectreviews.authentication.k8s.io"]
}

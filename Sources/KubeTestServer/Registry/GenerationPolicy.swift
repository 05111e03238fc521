/// Which resources maintain `metadata.generation`, as their registry strategies do: their
/// `PrepareForCreate` sets it to 1 and `PrepareForUpdate` bumps it on a spec change. Every other
/// resource (ConfigMap, Secret, ServiceAccount, Namespace, Lease, ResourceQuota, Event, RBAC …)
/// leaves it alone: a client-set value is stored as sent on create and kept unchanged by updates
/// (`rest.BeforeUpdate` copies the old value). Any resource with a generation > 0 gets +1 when its
/// `deletionTimestamp` is set.
enum GenerationPolicy {
    static let builtins: Set<String> = [
        "pods", "jobs.batch", "cronjobs.batch", "networkpolicies.networking.k8s.io", "ingresses.networking.k8s.io",
        "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "poddisruptionbudgets.policy",
        "customresourcedefinitions.apiextensions.k8s.io",
    ]

    /// Whether the resource's strategy sets and bumps `metadata.generation` (custom resources all do).
    static func maintains(_ type: ResourceType) -> Bool {
        type.crdName != nil || builtins.contains(type.storageKey)
    }
}

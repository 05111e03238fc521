import KubeAPI

/// The built-in kinds' validation (the `Validate`/`ValidateUpdate` of their strategies), run by
/// `StoreState.validate` after schema checks: ObjectMeta for every kind (finalizer rule for
/// built-ins only), then per kind. Returns the causes of a 422.
enum BuiltinValidation {
    static func errors(_ type: ResourceType, _ obj: JSONValue, old: JSONValue?) -> [FieldError] {
        if BuiltinResources.reviewKinds.contains(type.storageKey) { return [] }
        // core's finalizer-name rule applies to the kube-apiserver kinds, not to CRDs and custom resources
        var errors = ObjectMetaValidation.errors(obj["metadata"], builtin: type.crdName == nil && type.group != "apiextensions.k8s.io")
        switch type.storageKey {
        case "configmaps": errors += SecretConfigMapValidation.configMap(obj, old: old)
        case "secrets": errors += SecretConfigMapValidation.secret(obj, old: old)
        case "pods":
            errors += PodValidation.podSpec(obj["spec"])
            errors += PodValidation.containers(obj["spec"], path: "spec")
            if let old { errors += PodValidation.podUpdate(obj, old: old) }
        case "jobs.batch": errors += PodValidation.job(obj)
        case "roles.rbac.authorization.k8s.io": errors += RBACValidation.rules(obj, namespaced: true)
        case "clusterroles.rbac.authorization.k8s.io":
            if obj["aggregationRule"] == nil { errors += RBACValidation.rules(obj, namespaced: false) }
        case "rolebindings.rbac.authorization.k8s.io": errors += RBACValidation.binding(obj, old: old, clusterScoped: false)
        case "clusterrolebindings.rbac.authorization.k8s.io": errors += RBACValidation.binding(obj, old: old, clusterScoped: true)
        case "networkpolicies.networking.k8s.io": errors += NetworkPolicyValidation.errors(obj)
        case "leases.coordination.k8s.io": errors += MiscKindValidation.lease(obj)
        case "events": errors += MiscKindValidation.event(obj)
        case "resourcequotas": errors += MiscKindValidation.resourceQuota(obj)
        case "limitranges": errors += MiscKindValidation.limitRange(obj)
        default: break
        }
        return errors
    }
}

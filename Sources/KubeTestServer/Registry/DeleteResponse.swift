import KubeAPI

/// What a DELETE answers, as `k8s.io/apiserver`'s generic registry store and delete handler do:
///
/// - deleted at once: the last state of the object for registries built with
///   `ReturnDeletedObject: true` (pods, serviceaccounts, namespaces, services, nodes, persistent
///   volumes and claims, custom resources), else a `Status{status: Success}` whose details name the
///   object (`name`, `group`, `kind` = the plural resource, `uid`);
/// - only marked (finalizers, `propagationPolicy=Foreground`/`Orphan`, a namespace or CRD that
///   terminates, an object already being deleted): the marked object.
///
/// The code is 200, except 202 when the request set `orphanDependents: false` and the object was
/// not deleted at once (the handler's historical special case).
enum DeleteResponse {
    static let returnsDeletedObject: Set<String> = [
        "pods", "serviceaccounts", "namespaces", "services", "nodes", "persistentvolumes", "persistentvolumeclaims",
    ]

    static func returnsObject(_ type: ResourceType) -> Bool {
        type.crdName != nil || returnsDeletedObject.contains(type.storageKey)
    }

    /// `Status{status: Success}` for an object `type` deleted at once.
    static func success(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        var details: JSONValue = ["name": object[path: ["metadata", "name"]] ?? "", "kind": .string(type.plural)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        if let uid = object[path: ["metadata", "uid"]] { details["uid"] = uid }
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details]
    }

    static func code(deletedAtOnce: Bool, options: DeleteOptions) -> Int {
        !deletedAtOnce && options.orphanDependentsFalse ? 202 : 200
    }
}

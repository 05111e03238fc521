import KubeAPI

/// NamespaceLifecycle admission: immortal namespaces cannot be deleted (also with dryRun), and
/// nothing new may be created in a namespace that is terminating (403 with a
/// `NamespaceTerminating` cause on `metadata.namespace`).
enum NamespaceLifecycle {
    static let immortal: Set<String> = ["default", "kube-system", "kube-public"]

    static func checkDelete(_ type: ResourceType, name: String) throws(APIError) {
        if type.storageKey == "namespaces", immortal.contains(name) {
            throw .forbidden(type, name: name, why: "this namespace may not be deleted")
        }
    }

    static func terminating(_ type: ResourceType, name: String, namespace ns: String) -> APIError {
        var error = APIError.forbidden(type, name: name,
                                       why: "unable to create new content in namespace \(ns) because it is being terminated")
        error.details?["causes"] = [["reason": "NamespaceTerminating", "message": .string("namespace \(ns) is being terminated"),
                                     "field": "metadata.namespace"]]
        return error
    }
}

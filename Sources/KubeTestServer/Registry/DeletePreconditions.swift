import KubeAPI

/// DeleteOptions.preconditions, checked as `rest.BeforeDelete` does (a 409 Conflict naming the
/// object by its Kind), except for namespaces and CRDs, whose own REST `Delete` checks the UID
/// first with the storage layer's `Precondition failed: …` wording (resource named by its plural).
enum DeletePreconditions {
    static func check(_ type: ResourceType, _ object: JSONValue, _ options: DeleteOptions) throws(APIError) {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if ["namespaces", StoreState.crdStorageKey].contains(type.storageKey) {
            if let want = options.preconditionUID, want != uid {
                throw .conflict(type, name: name, why: "Precondition failed: UID in precondition: \(want), UID in object meta: \(uid)")
            }
            if let want = options.preconditionResourceVersion, want != rv {
                throw .conflict(type, name: name,
                                why: "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(rv)")
            }
            return
        }
        if let want = options.preconditionUID, want != uid {
            throw byKind(type, name, "the UID in the precondition (\(want)) does not match the UID in record (\(uid)). The object might have been deleted and then recreated")
        }
        if let want = options.preconditionResourceVersion, want != rv {
            throw byKind(type, name, "the ResourceVersion in the precondition (\(want)) does not match the ResourceVersion in record (\(rv)). The object might have been modified")
        }
    }

    /// `NewConflict(GroupResource{Group: gvk.Group, Resource: gvk.Kind}, name, err)`.
    private static func byKind(_ type: ResourceType, _ name: String, _ why: String) -> APIError {
        let resource = type.group.isEmpty ? type.kind : "\(type.kind).\(type.group)"
        var details: JSONValue = ["name": .string(name), "kind": .string(type.kind)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        return APIError(code: 409, reason: "Conflict",
                        message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)", details: details)
    }
}

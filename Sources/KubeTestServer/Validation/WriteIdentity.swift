import KubeAPI

/// Identity checks of an update, as the apiserver's handlers and storage make them before validation:
/// - a PUT body whose `metadata.namespace` differs from the URL's → 400 (`rest.EnsureObjectNamespaceMatchesRequestNamespace`);
/// - a PUT body carrying another `metadata.uid` → the storage precondition fails → 409;
/// - a patch that changes `metadata.uid` → 422 `metadata.uid: … field is immutable` (ObjectMeta update validation).
enum WriteIdentity {
    static func checkNamespace(_ type: ResourceType, body: JSONValue, namespace: String?) throws(APIError) {
        guard type.namespaced, let ns = namespace,
              let bodyNS = body[path: ["metadata", "namespace"]]?.stringValue, !bodyNS.isEmpty, bodyNS != ns else { return }
        throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
    }

    static func checkPutUID(_ type: ResourceType, body: JSONValue, old: JSONValue, name: String) throws(APIError) {
        guard let uid = body[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty,
              let oldUID = old[path: ["metadata", "uid"]]?.stringValue, uid != oldUID else { return }
        let ns = old[path: ["metadata", "namespace"]]?.stringValue.map { "\($0)/" } ?? ""
        let key = "/registry/\(type.group.isEmpty ? "" : "\(type.group)/")\(type.plural)/\(ns)\(name)"
        throw .conflict(type, name: name, why: "StorageError: invalid object, Code: 4, Key: \(key), ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: \(uid), UID in object meta: \(oldUID)")
    }

    static func checkPatchedUID(_ type: ResourceType, patched: JSONValue, old: JSONValue, name: String) throws(APIError) {
        let uid = patched[path: ["metadata", "uid"]]
        guard let oldUID = old[path: ["metadata", "uid"]], uid != oldUID else { return }
        throw .invalid(type, name: name, causes: [.invalid("metadata.uid", uid ?? .string(""), "field is immutable")])
    }
}

import KubeAPI

/// The four PATCH flavours, by request Content-Type.
public enum PatchType: String, Sendable, CaseIterable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"
}

public struct PatchRequest: Sendable {
    public var type: PatchType
    public var body: JSONValue
    /// Server-side apply `force=true`: take ownership of conflicting fields.
    public var force: Bool

    public init(type: PatchType, body: JSONValue, force: Bool = false) {
        self.type = type
        self.body = body
        self.force = force
    }
}

extension StoreState {
    /// PATCH: computes the patched object from the current one and stores it through `update`,
    /// so every update rule (optimistic concurrency, status subresource, generation) applies.
    mutating func patch(_ type: ResourceType, namespace: String?, name: String, patch: PatchRequest,
                        subresource: String?, options: WriteOptions) throws(APIError) -> WriteResult {
        let ref = ObjectRef(storageKey: type.storageKey, namespace: type.namespaced ? namespace : nil, name: name)
        guard let stored = object(ref) else {
            if patch.type == .apply, subresource == nil {
                return try applyCreate(type, namespace: namespace, name: name, patch: patch, options: options)
            }
            throw .notFound(type, name: name)
        }
        let old = present(stored, as: type)
        var new: JSONValue
        switch patch.type {
        case .merge:
            guard case .object = patch.body else { throw .badRequest("a merge patch must be a JSON object") }
            new = old.applyingMergePatch(patch.body)
        case .json:
            do {
                new = try old.applyingJSONPatch(patch.body)
            } catch {
                // NewGenericServerResponse(422, …): the generic text only, empty details.
                _ = error
                throw APIError(code: 422, reason: "Invalid",
                               message: "the server rejected our request due to an error in our request", details: [:])
            }
        case .strategic:
            guard type.crdName == nil else {
                throw APIError(code: 415, reason: "UnsupportedMediaType",
                               message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            guard case .object = patch.body else { throw .badRequest("a strategic merge patch must be a JSON object") }
            new = StrategicMerge.apply(patch.body, to: old)
        case .apply:
            new = try ServerSideApply.apply(patch, to: old, type: type, manager: options.fieldManager, now: now(),
                                            subresource: subresource)
        }
        try WriteIdentity.checkPatchedUID(type, patched: new, old: old, name: name)
        let patchedRV = new[path: ["metadata", "resourceVersion"]]?.stringValue
        let bodyRV = patch.type == .json ? patchedRV : patch.body[path: ["metadata", "resourceVersion"]]?.stringValue
        if bodyRV == nil { new.set(path: ["metadata", "resourceVersion"], to: stored[path: ["metadata", "resourceVersion"]]) }
        var result = try update(type, namespace: namespace, name: name, body: new, subresource: subresource,
                                options: options, keepManagedFields: patch.type == .apply)
        result.code = 200
        return result
    }

    private mutating func applyCreate(_ type: ResourceType, namespace: String?, name: String, patch: PatchRequest,
                                      options: WriteOptions) throws(APIError) -> WriteResult {
        guard let manager = options.fieldManager, !manager.isEmpty else {
            throw .badRequest("PATCH with apply requires fieldManager")
        }
        var body = patch.body
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        body.set(path: ["metadata", "name"], to: .string(name))
        var createOptions = options
        createOptions.applyConfiguration = patch.body
        return try create(type, namespace: namespace, body: body, options: createOptions)
    }
}

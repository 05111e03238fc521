import KubeAPI

/// `DeleteOptions` as the server honours them (query parameters or a request body).
public struct DeleteOptions: Sendable {
    /// `Background`, `Foreground` or `Orphan`; nil = the resource's default.
    public var propagationPolicy: String?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun = false
    /// The request set `orphanDependents: false` (the one case a DELETE answers 202).
    public var orphanDependentsFalse = false
    public init() {}
}

extension StoreState {
    /// DELETE of one object: checks preconditions, then removes it or marks it for deletion.
    mutating func delete(_ type: ResourceType, namespace: String?, name: String,
                         options: DeleteOptions) throws(APIError) -> WriteResult {
        try OptionsValidation.checkDelete(options, dryRun: [])
        let ref = ObjectRef(storageKey: type.storageKey, namespace: type.namespaced ? namespace : nil, name: name)
        guard let old = object(ref) else { throw .notFound(type, name: name) }
        try NamespaceLifecycle.checkDelete(type, name: name)
        try DeletePreconditions.check(type, old, options)
        let marks = !(old[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            || old[path: ["metadata", "deletionTimestamp"]] != nil
            || ["namespaces", Self.crdStorageKey].contains(type.storageKey)
            || ["Foreground", "Orphan"].contains(options.propagationPolicy ?? defaultPolicy(type.storageKey))
        if options.dryRun {
            return deleted(type, old, atOnce: !marks, options)
        }
        guard let event = deleteObject(ref, policy: options.propagationPolicy) else {
            return deleted(type, old, atOnce: false, options)  // already being deleted: unchanged
        }
        settle()
        if event.type == .deleted { return deleted(type, event.object, atOnce: true, options) }
        return deleted(type, object(ref) ?? event.object, atOnce: false, options)
    }

    private func deleted(_ type: ResourceType, _ object: JSONValue, atOnce: Bool, _ options: DeleteOptions) -> WriteResult {
        let code = DeleteResponse.code(deletedAtOnce: atOnce, options: options)
        if atOnce && !DeleteResponse.returnsObject(type) {
            let status = DeleteResponse.success(type, object)
            return WriteResult(object: status, bytes: status.serialized(), code: code)
        }
        let shown = present(object, as: type)
        return WriteResult(object: shown, bytes: shown.serialized(), code: code)
    }

    /// The propagation policy used when a request names none (batch/v1 Jobs orphan, like the real server).
    func defaultPolicy(_ storageKey: String) -> String {
        storageKey == "jobs.batch" ? "Orphan" : "Background"
    }

    /// Removes the object, or — when finalizers (its own or the policy's) must run first — sets
    /// `deletionTimestamp`. Returns nil when the object was already being deleted (nothing changes).
    @discardableResult
    mutating func deleteObject(_ ref: ObjectRef, policy: String?) -> StoredEvent? {
        guard var obj = object(ref) else { return nil }
        if obj[path: ["metadata", "deletionTimestamp"]] != nil { return nil }
        let previous = obj
        var finalizers = (obj[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        switch policy ?? defaultPolicy(ref.storageKey) {
        case "Foreground" where !finalizers.contains("foregroundDeletion"): finalizers.append("foregroundDeletion")
        case "Orphan" where !finalizers.contains("orphan"): finalizers.append("orphan")
        default: break
        }
        let isNamespace = ref.storageKey == "namespaces"
        if finalizers.isEmpty && !isNamespace {
            return commit(.deleted, storageKey: ref.storageKey, object: obj, previous: previous)
        }
        obj.set(path: ["metadata", "finalizers"], to: finalizers.isEmpty ? nil : .array(finalizers.map(JSONValue.string)))
        obj.set(path: ["metadata", "deletionTimestamp"], to: .string(now()))
        obj.set(path: ["metadata", "deletionGracePeriodSeconds"], to: 0)
        if let g = obj[path: ["metadata", "generation"]]?.intValue, g > 0 {
            obj.set(path: ["metadata", "generation"], to: .int(g + 1))
        }
        if isNamespace { obj.set(path: ["status", "phase"], to: "Terminating") }
        if ref.storageKey == Self.crdStorageKey { markCRDTerminating(&obj) }
        return commit(.modified, storageKey: ref.storageKey, object: obj, previous: previous)
    }

    /// Removes `finalizer` from the object; the object goes when it was the last one and it is being deleted.
    mutating func removeFinalizer(_ finalizer: String, from ref: ObjectRef) {
        guard var obj = object(ref) else { return }
        let previous = obj
        let finalizers = (obj[path: ["metadata", "finalizers"]]?.arrayValue ?? []).filter { $0.stringValue != finalizer }
        obj.set(path: ["metadata", "finalizers"], to: finalizers.isEmpty ? nil : .array(finalizers))
        guard obj != previous else { return }
        let type = anyType(ref.storageKey)
        if finalizers.isEmpty, obj[path: ["metadata", "deletionTimestamp"]] != nil,
           !(type.map { blockedBySpecFinalizers($0, obj) } ?? false) {
            commit(.deleted, storageKey: ref.storageKey, object: previous, previous: previous)  // last stored state
        } else {
            commit(.modified, storageKey: ref.storageKey, object: obj, previous: previous)
        }
    }

    /// DELETE on a collection: deletes every selected object (each honouring its finalizers).
    mutating func deleteCollection(_ type: ResourceType, namespace: String?, labels: LabelSelector,
                                   fields: FieldSelector, options: DeleteOptions) throws(APIError) -> [JSONValue] {
        let filter = WatchFilter(type: type, namespace: namespace, labels: labels, fields: fields)
        let selected = (objects[type.storageKey] ?? [:]).values.filter(filter.matches)
        if options.dryRun { return selected }
        for obj in selected {
            deleteObject(Self.ref(of: obj, storageKey: type.storageKey), policy: options.propagationPolicy)
        }
        settle()
        return selected
    }
}

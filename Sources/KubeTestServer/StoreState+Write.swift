import KubeAPI

/// Options common to writes (`dryRun=All`, `fieldManager`, `fieldValidation`).
public struct WriteOptions: Sendable {
    public var dryRun = false
    public var fieldManager: String?
    /// `Strict` rejects unknown (would-be-pruned) fields with 422 instead of dropping them.
    public var strictFields = false
    /// The manager of a write without `fieldManager`: the User-Agent's product token.
    public var userAgentManager: String?
    /// For a create by server-side apply: the applied configuration (the manager's Apply entry).
    var applyConfiguration: JSONValue?
    public init() {}
}

/// The outcome of a write: the stored object and its serialized bytes.
public struct WriteResult: Sendable {
    public var object: JSONValue
    public var bytes: [UInt8]
    /// 201 for a create, 200 otherwise (202 for a delete that only marked the object).
    public var code: Int
}

extension StoreState {
    /// POST: creates `body` as a new object of `type` in `namespace`.
    mutating func create(_ type: ResourceType, namespace: String?, body: JSONValue,
                         options: WriteOptions) throws(APIError) -> WriteResult {
        guard case .object = body else { throw .badRequest("the body of the request must be a JSON object") }
        try checkKind(type, body)
        var obj = Presentation.toStorage(body, for: type)
        obj["apiVersion"] = .string(storedAPIVersion(type))
        obj["kind"] = .string(type.kind)
        var meta = obj["metadata"]?.objectValue ?? [:]
        if meta["name"]?.stringValue?.isEmpty ?? true {
            guard let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty else {
                throw .invalid(type, name: "", causes: [FieldError(reason: "FieldValueRequired", field: "metadata.name",
                                                                    message: "Required value: name or generateName is required")])
            }
            meta["name"] = .string(prefix + ObjectNames.randomSuffix())
        }
        let name = meta["name"]!.stringValue ?? ""
        if type.namespaced {
            guard let ns = namespace else { throw .badRequest("a namespace is required to create \(type.storageKey)") }
            if let bodyNS = meta["namespace"]?.stringValue, !bodyNS.isEmpty, bodyNS != ns {
                throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            meta["namespace"] = .string(ns)
            guard let nsObj = objects["namespaces"]?[ns] else { throw .namespaceNotFound(ns) }
            if nsObj[path: ["metadata", "deletionTimestamp"]] != nil {
                throw NamespaceLifecycle.terminating(type, name: name, namespace: ns)
            }
        } else {
            meta.removeValue(forKey: "namespace")
        }
        var nameErrors: [FieldError] = []
        if let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty {
            // The prefix is validated as a name whose trailing dash is allowed (`maskTrailingDash`
            // replaces the last two characters by "a").
            let masked = prefix.hasSuffix("-") && prefix.count > 1 ? String(prefix.dropLast(2)) + "a" : prefix
            if var e = ObjectNames.nameError(masked, for: type) {
                e.field = "metadata.generateName"
                e.message = e.message.replacingOccurrences(of: JSONValue.string(masked).jsonString(),
                                                           with: JSONValue.string(prefix).jsonString())
                nameErrors.append(e)
            }
        }
        if let e = ObjectNames.nameError(name, for: type) { nameErrors.append(e) }
        if !nameErrors.isEmpty { throw .invalid(type, name: name, causes: nameErrors) }
        if let crd = type.crdName, objects["customresourcedefinitions.apiextensions.k8s.io"]?[crd]?[path: ["metadata", "deletionTimestamp"]] != nil {
            throw .forbidden(type, name: name, why: "create not allowed while custom resource definition is terminating")
        }
        for k in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                  "managedFields", "selfLink"] { meta.removeValue(forKey: k) }
        meta["uid"] = .string(ObjectNames.uid())
        meta["creationTimestamp"] = .string(now())
        if GenerationPolicy.maintains(type) { meta["generation"] = 1 }
        obj["metadata"] = .object(meta)
        if type.hasStatus && type.crdName != nil { obj.set(path: ["status"], to: nil) }
        try prepareForCreate(type, &obj)
        let admission = try defaultAndAdmit(type, &obj, old: nil, subresource: nil, options: options,
                                            name: (body[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty ? meta["generateName"]?.stringValue : nil)
        try validate(type, &obj, old: nil, options: options)
        try validatingAdmission(admission, obj)
        recordManagedFields(type, &obj, old: nil, options: options, subresource: nil)
        let ref = Self.ref(of: obj, storageKey: type.storageKey)
        if objects[type.storageKey]?[ref.key] != nil { throw .alreadyExists(type, name: name) }
        if options.dryRun {
            return WriteResult(object: obj, bytes: present(obj, as: type).serialized(), code: 201)
        }
        let event = commit(.added, storageKey: type.storageKey, object: obj, previous: nil)
        settle()
        return result(event, type, code: 201)
    }

    /// PUT (main resource or a subresource): replaces the object, honouring optimistic concurrency.
    mutating func update(_ type: ResourceType, namespace: String?, name: String, body: JSONValue,
                         subresource: String?, options: WriteOptions,
                         keepManagedFields: Bool = false) throws(APIError) -> WriteResult {
        guard case .object = body else { throw .badRequest("the body of the request must be a JSON object") }
        try checkKind(type, body)
        let ref = ObjectRef(storageKey: type.storageKey, namespace: type.namespaced ? namespace : nil, name: name)
        guard let old = objects[type.storageKey]?[ref.key] else { throw .notFound(type, name: name) }
        try WriteIdentity.checkNamespace(type, body: body, namespace: namespace)
        if subresource == nil { try WriteIdentity.checkPutUID(type, body: body, old: old, name: name) }
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let rv = body[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
           rv != old[path: ["metadata", "resourceVersion"]]?.stringValue {
            throw .staleResourceVersion(type, name: name)
        }
        var new = Presentation.toStorage(body, for: type)
        new["apiVersion"] = .string(storedAPIVersion(type))
        new["kind"] = .string(type.kind)
        switch subresource {
        case "status":
            var merged = old
            merged["status"] = new["status"]
            new = merged
        case "finalize":
            var merged = old
            merged.set(path: ["spec", "finalizers"], to: new[path: ["spec", "finalizers"]])
            new = merged
        default:
            if type.hasStatus { new["status"] = old["status"] }
            if type.storageKey == "namespaces" {
                new.set(path: ["spec", "finalizers"], to: old[path: ["spec", "finalizers"]])
            }
        }
        var meta = new["metadata"]?.objectValue ?? [:]
        let oldMeta = old["metadata"]?.objectValue ?? [:]
        if subresource == nil {
            for k in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                      "namespace", "name", "resourceVersion"] { meta[k] = oldMeta[k] }
            if !keepManagedFields { meta["managedFields"] = oldMeta["managedFields"] }
        } else {
            meta = oldMeta
            if type.storageKey == "pods" && subresource == "status" {
                // The pod status strategy does not reset metadata (only ownerReferences and
                // deletionTimestamp): labels, annotations and finalizers sent to /status apply.
                let sent = body["metadata"]?.objectValue ?? [:]
                for k in ["labels", "annotations", "finalizers"] { meta[k] = sent[k] }
            }
        }
        if oldMeta["deletionTimestamp"] != nil {
            let before = Set((oldMeta["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue))
            let after = (meta["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if after.contains(where: { !before.contains($0) }) {
                throw .invalid(type, name: name, causes: [FieldError(reason: "FieldValueForbidden", field: "metadata.finalizers",
                                                                      message: "Forbidden: no new finalizers can be added if the object is being deleted")])
            }
        }
        if meta["finalizers"]?.arrayValue?.isEmpty == true { meta.removeValue(forKey: "finalizers") }
        new["metadata"] = .object(meta)
        if type.storageKey == "namespaces" { Self.setMetadataNameLabel(&new) }
        let admission = try defaultAndAdmit(type, &new, old: old, subresource: subresource, options: options, name: nil)
        try validate(type, &new, old: old, options: options)
        try validatingAdmission(admission, new)
        if GenerationPolicy.maintains(type), specChanged(type, old, new) {
            new.set(path: ["metadata", "generation"], to: .int((oldMeta["generation"]?.intValue ?? 0) + 1))
        }
        if !keepManagedFields { recordManagedFields(type, &new, old: old, options: options, subresource: subresource) }
        if new == old || options.dryRun {
            return WriteResult(object: new, bytes: present(new, as: type).serialized(), code: 200)
        }
        let finalizersGone = (new[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
        let event: StoredEvent
        if oldMeta["deletionTimestamp"] != nil && finalizersGone && !blockedBySpecFinalizers(type, new) {
            // The store deletes the stored object instead of writing this update
            // (`deleteWithoutFinalizers`): the DELETED event and the answer carry the last stored
            // state, finalizers included.
            event = commit(.deleted, storageKey: type.storageKey, object: old, previous: old)
        } else {
            event = commit(.modified, storageKey: type.storageKey, object: new, previous: old)
        }
        settle()
        return result(event, type, code: 200)
    }

    /// Namespaces stay until `spec.finalizers` is empty too.
    func blockedBySpecFinalizers(_ type: ResourceType, _ object: JSONValue) -> Bool {
        type.storageKey == "namespaces" && !(object[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty
    }

    /// Whether a change counts towards `metadata.generation`.
    func specChanged(_ type: ResourceType, _ old: JSONValue, _ new: JSONValue) -> Bool {
        func strip(_ v: JSONValue) -> JSONValue {
            var o = v.objectValue ?? [:]
            for k in ["metadata", "apiVersion", "kind"] { o.removeValue(forKey: k) }
            if type.hasStatus { o.removeValue(forKey: "status") }
            return .object(o)
        }
        return strip(old) != strip(new)
    }

    func checkKind(_ type: ResourceType, _ body: JSONValue) throws(APIError) {
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw .badRequest("the server could not process the request: kind \(kind) does not match the resource \(type.storageKey) (\(type.kind))")
        }
        if let av = body["apiVersion"]?.stringValue, !av.isEmpty, av != type.apiVersion {
            if let other = registry.lookup(apiVersion: av, kind: type.kind), other.storageKey == type.storageKey { return }
            throw .badRequest("the API version in the data (\(av)) does not match the expected API version (\(type.apiVersion))")
        }
    }

    /// The apiVersion objects written through `type` are stored with (a shared storage keeps its owner's).
    func storedAPIVersion(_ type: ResourceType) -> String {
        type.sharesStorage.flatMap { anyType($0)?.apiVersion } ?? type.apiVersion
    }

    /// The object as served at `type`'s version.
    func present(_ object: JSONValue, as type: ResourceType) -> JSONValue {
        if Presentation.isIdentity(type, storedAPIVersion: object["apiVersion"]?.stringValue) { return object }
        return Presentation.present(object, as: type)
    }

    func result(_ event: StoredEvent, _ type: ResourceType, code: Int) -> WriteResult {
        if Presentation.isIdentity(type, storedAPIVersion: event.object["apiVersion"]?.stringValue) {
            return WriteResult(object: event.object, bytes: event.objectBytes, code: code)
        }
        let o = present(event.object, as: type)
        return WriteResult(object: o, bytes: o.serialized(), code: code)
    }
}

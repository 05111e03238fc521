import KubeAPI

/// The dynamic (untyped) API: any resource, objects as `JSONValue`. Typed calls build on it.
///
/// `namespace` is ignored for cluster-scoped resources; for namespaced ones `nil` means the
/// client's default namespace, except in `list`/`watch` where `nil` means all namespaces.
extension KubeClient {
    func ns(_ r: ResourceDescriptor, _ namespace: String?) -> String? {
        r.namespaced ? (namespace ?? defaultNamespace) : nil
    }

    /// GET one object (or its subresource, e.g. `status`).
    public func get(_ r: ResourceDescriptor, namespace: String? = nil, name: String,
                    subresource: String? = nil) async throws(KubeError) -> JSONValue {
        try await executeJSON(getCall(r, namespace: namespace, name: name, subresource: subresource))
    }

    func getCall(_ r: ResourceDescriptor, namespace: String?, name: String, subresource: String?) -> Call {
        Call(verb: "get", method: "GET", path: r.objectPath(namespace: ns(r, namespace), name: name, subresource: subresource),
             resource: r, subresource: subresource, name: name, idempotent: true)
    }

    /// LIST one page; the result is the list object (`items`, `metadata.continue`, `metadata.resourceVersion`).
    public func list(_ r: ResourceDescriptor, namespace: String? = nil,
                     options: ListOptions = ListOptions()) async throws(KubeError) -> JSONValue {
        try await executeJSON(Call(verb: "list", method: "GET",
                                   path: r.collectionPath(namespace: r.namespaced ? namespace : nil),
                                   query: options.query, resource: r, idempotent: true))
    }

    /// LIST every page (following `continue`); returns all items and the resourceVersion of the
    /// first page, from which a watch can start. A `410 Gone` on a later page (the continue token
    /// expired) restarts the listing from scratch once.
    public func listAll(_ r: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions(),
                        pageSize: Int = 500) async throws(KubeError) -> (items: [JSONValue], resourceVersion: String?) {
        var restarted = false
        while true {
            var items: [JSONValue] = []
            var opts = options
            opts.limit = pageSize
            var rv: String?
            do {
                while true {
                    let page = try await list(r, namespace: namespace, options: opts)
                    items.append(contentsOf: page["items"]?.arrayValue ?? [])
                    if rv == nil { rv = page[path: ["metadata", "resourceVersion"]]?.stringValue }
                    guard let next = page[path: ["metadata", "continue"]]?.stringValue, !next.isEmpty else {
                        return (items, rv)
                    }
                    opts.continue = next
                    opts.resourceVersion = nil
                    opts.resourceVersionMatch = nil
                }
            } catch where error.isGone && !restarted && opts.continue != nil {
                restarted = true
            }
        }
    }

    /// POST a new object. Never retried except after 429 (the server did not execute it).
    public func create(_ r: ResourceDescriptor, namespace: String? = nil, _ object: JSONValue,
                       options: WriteOptions = WriteOptions()) async throws(KubeError) -> JSONValue {
        try await executeJSON(createCall(r, namespace: namespace, object, options: options))
    }

    func createCall(_ r: ResourceDescriptor, namespace: String?, _ object: JSONValue, options: WriteOptions) -> Call {
        Call(verb: "create", method: "POST",
             path: r.collectionPath(namespace: ns(r, namespace ?? object[path: ["metadata", "namespace"]]?.stringValue)),
             query: options.query, body: object.serialized(), contentType: "application/json",
             resource: r, name: object[path: ["metadata", "name"]]?.stringValue, idempotent: false)
    }

    /// PUT a whole object (or its `status` subresource). With `metadata.resourceVersion` set this
    /// is a compare-and-swap: a stale version fails with `KubeError.conflict`.
    public func replace(_ r: ResourceDescriptor, namespace: String? = nil, name: String, _ object: JSONValue,
                        subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws(KubeError) -> JSONValue {
        try await executeJSON(replaceCall(r, namespace: namespace, name: name, object, subresource: subresource, options: options))
    }

    func replaceCall(_ r: ResourceDescriptor, namespace: String?, name: String, _ object: JSONValue, subresource: String?,
                     options: WriteOptions) -> Call {
        Call(verb: "update", method: "PUT", path: r.objectPath(namespace: ns(r, namespace), name: name, subresource: subresource),
             query: options.query, body: object.serialized(), contentType: "application/json",
             resource: r, subresource: subresource, name: name, idempotent: true)
    }

    /// PATCH an object (or a subresource) with any patch type.
    public func patch(_ r: ResourceDescriptor, namespace: String? = nil, name: String, _ patch: Patch,
                      subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws(KubeError) -> JSONValue {
        try await executeJSON(patchCall(r, namespace: namespace, name: name, patch, subresource: subresource, options: options))
    }

    func patchCall(_ r: ResourceDescriptor, namespace: String?, name: String, _ patch: Patch, subresource: String?,
                   options: WriteOptions) -> Call {
        var query = options.query
        if case .apply(_, let manager, let force) = patch {
            query.removeAll { $0.0 == "fieldManager" }
            query.append(("fieldManager", manager))
            if force { query.append(("force", "true")) }
        }
        return Call(verb: "patch", method: "PATCH", path: r.objectPath(namespace: ns(r, namespace), name: name, subresource: subresource),
                    query: query, body: patch.body.serialized(), contentType: patch.contentType,
                    resource: r, subresource: subresource, name: name, idempotent: patch.isIdempotent)
    }

    /// DELETE an object. Returns the server's answer: the object (still present while
    /// finalizers/graceful deletion run) or a `Status`.
    @discardableResult
    public func delete(_ r: ResourceDescriptor, namespace: String? = nil, name: String,
                       options: DeleteOptions = DeleteOptions()) async throws(KubeError) -> JSONValue {
        try await executeJSON(Call(verb: "delete", method: "DELETE",
                                   path: r.objectPath(namespace: ns(r, namespace), name: name),
                                   body: options.body.serialized(), contentType: "application/json",
                                   resource: r, name: name, idempotent: true))
    }

    /// POST to a create-only resource that answers with a computed object (SubjectAccessReview,
    /// TokenReview): like `create`, but retried like a read because it has no side effect.
    public func review(_ r: ResourceDescriptor, _ object: JSONValue) async throws(KubeError) -> JSONValue {
        try await executeJSON(Call(verb: "create", method: "POST", path: r.collectionPath(namespace: nil),
                                   body: object.serialized(), contentType: "application/json",
                                   resource: r, idempotent: true))
    }
}

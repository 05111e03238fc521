import KubeAPI

/// Typed conveniences for `KubeResource` models; each maps 1:1 onto the dynamic API.
///
/// Note: `replace` sends only what the model encodes. To change an object read from the server
/// without dropping fields the model does not know, use `update` (read-modify-write on the raw JSON).
extension KubeClient {
    public func get<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String) async throws(KubeError) -> T {
        try await executeDecoding(T.self, getCall(T.resource, namespace: namespace, name: name, subresource: nil))
    }

    public func list<T: KubeResource>(_ type: T.Type, namespace: String? = nil,
                                      options: ListOptions = ListOptions()) async throws(KubeError) -> KubeList<T> {
        // Straight from the bytes (no `JSONValue` tree of the whole page: an operator's initial
        // lists of thousands of objects would hold several such trees at once).
        let r = T.resource
        let response = try await execute(Call(verb: "list", method: "GET", path: r.collectionPath(namespace: r.namespaced ? namespace : nil),
                                              query: options.query, resource: r, idempotent: true))
        do {
            return try JSONBytesDecoder().decode(KubeList<T>.self, from: response.body)
        } catch {
            throw KubeError.decoding("\(KubeList<T>.self): \(error)")
        }
    }

    /// Every page of a LIST, decoded; plus the list's resourceVersion to start a watch from.
    public func listAll<T: KubeResource>(_ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions(),
                                         pageSize: Int = 500) async throws(KubeError) -> (items: [T], resourceVersion: String?) {
        let (raw, rv) = try await listAll(T.resource, namespace: namespace, options: options, pageSize: pageSize)
        var items: [T] = []
        items.reserveCapacity(raw.count)
        for item in raw { items.append(try JSONCoding.decode(T.self, from: item)) }
        return (items, rv)
    }

    /// Creates `object` in `metadata.namespace` (else `namespace`, else the default namespace).
    public func create<T: KubeResource>(_ object: T, namespace: String? = nil,
                                        options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        try await executeDecoding(T.self, createCall(object, namespace: namespace, options: options))
    }

    /// `create` for callers that only need to know it succeeded: the same request and errors, but
    /// the answer's body is not decoded (the webhook adapter's per-delivery AgentRun create, the
    /// operator's run-namespace objects). A 2xx body is not looked at; the created object reaches
    /// such callers through their watch.
    public func createDiscardingResult<T: KubeResource>(_ object: T, namespace: String? = nil,
                                                        options: WriteOptions = WriteOptions()) async throws(KubeError) {
        _ = try await execute(createCall(object, namespace: namespace, options: options))
    }

    /// Replaces the object named by `metadata.name` (compare-and-swap when `metadata.resourceVersion` is set).
    public func replace<T: KubeResource>(_ object: T, subresource: String? = nil,
                                         options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        try await executeDecoding(T.self, replaceCall(object, subresource: subresource, options: options))
    }

    public func patch<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String, _ patch: Patch,
                                       subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        try await executeDecoding(T.self, patchCall(T.resource, namespace: namespace, name: name, patch, subresource: subresource,
                                                    options: options))
    }

    @discardableResult
    public func delete<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String,
                                        options: DeleteOptions = DeleteOptions()) async throws(KubeError) -> JSONValue {
        try await delete(T.resource, namespace: namespace, name: name, options: options)
    }

    // MARK: status subresource

    public func getStatus<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String) async throws(KubeError) -> T {
        try await executeDecoding(T.self, getCall(T.resource, namespace: namespace, name: name, subresource: "status"))
    }

    public func replaceStatus<T: KubeResource>(_ object: T, options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        try await replace(object, subresource: "status", options: options)
    }

    /// `replaceStatus` for callers that drop the answer: the same PUT (compare-and-swap when
    /// `metadata.resourceVersion` is set) and the same errors — a non-2xx answer (409 Conflict, 404,
    /// a Status body) is thrown exactly as `replaceStatus` throws it — but a 2xx body is not decoded
    /// (the operator's first status of a RunNamespace it just created; the written object reaches
    /// it through its watch).
    public func replaceStatusDiscardingResult<T: KubeResource>(_ object: T, options: WriteOptions = WriteOptions()) async throws(KubeError) {
        _ = try await execute(replaceCall(object, subresource: "status", options: options))
    }

    public func patchStatus<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String, _ patch: Patch,
                                             options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        try await self.patch(type, namespace: namespace, name: name, patch, subresource: "status", options: options)
    }
}

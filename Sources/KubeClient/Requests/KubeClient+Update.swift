import KubeAPI

extension KubeClient {
    /// Read-modify-write that never drops fields the model does not know.
    ///
    /// GETs the raw object, decodes `T`, runs `mutate`, applies the difference between the
    /// encodings before and after onto the raw JSON (`RawMerge`), and PUTs the raw object with the
    /// resourceVersion it read. On 409 Conflict it starts over, at most `maxConflictRetries` times.
    /// When `mutate` changes nothing, no write is made and the current object is returned.
    /// `subresource: "status"` reads and writes the status subresource.
    @discardableResult
    public func update<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String, subresource: String? = nil,
                                        maxConflictRetries: Int = 5,
                                        _ mutate: (inout T) throws -> Void) async throws -> T {
        var conflicts = 0
        while true {
            let raw = try await get(T.resource, namespace: namespace, name: name, subresource: subresource)
            var object = try JSONCoding.decode(T.self, from: raw)
            let before = try JSONCoding.encode(object)
            try mutate(&object)
            let after = try JSONCoding.encode(object)
            if before == after { return object }
            var merged = RawMerge.apply(raw: raw, before: before, after: after)
            // The compare-and-swap guard is the version we read, whatever the closure did.
            merged.set(path: ["metadata", "resourceVersion"], to: raw[path: ["metadata", "resourceVersion"]])
            let written: JSONValue
            do {
                written = try await replace(T.resource, namespace: namespace, name: name, merged, subresource: subresource)
            } catch {
                guard error.isConflict, conflicts < maxConflictRetries else { throw error }
                conflicts += 1
                continue
            }
            return try JSONCoding.decode(T.self, from: written)
        }
    }

    /// `update` of the status subresource.
    @discardableResult
    public func updateStatus<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String,
                                              maxConflictRetries: Int = 5,
                                              _ mutate: (inout T) throws -> Void) async throws -> T {
        try await update(type, namespace: namespace, name: name, subresource: "status",
                         maxConflictRetries: maxConflictRetries, mutate)
    }
}

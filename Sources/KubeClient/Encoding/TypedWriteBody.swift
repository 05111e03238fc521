import KubeAPI

/// The body and call of a typed create or replace.
///
/// Contract: a resource that conforms to `JSONWritableResource` writes its own bytes
/// (`KubeResource.handWrittenJSON`: no Codable, no dynamic cast); any other `KubeResource` goes through `JSONValueEncoder` with
/// `apiVersion`/`kind` set from its descriptor, then `serialized()`. Both give the same JSON text up
/// to the order of object members (the differential tests of `JSONWritingDifferentialTests` hold the
/// conformances to that).
extension KubeClient {
    static func typedBody<T: KubeResource>(_ object: T) throws(KubeError) -> [UInt8] {
        if let written = object.handWrittenJSON() { return written }
        return try JSONCoding.encodeResource(object).serialized()
    }

    /// POST of `object` to `metadata.namespace`, else `namespace`, else the default namespace.
    func createCall<T: KubeResource>(_ object: T, namespace: String?, options: WriteOptions) throws(KubeError) -> Call {
        let r = T.resource
        return Call(verb: "create", method: "POST", path: r.collectionPath(namespace: ns(r, object.metadata.namespace ?? namespace)),
                    query: options.query, body: try Self.typedBody(object), contentType: "application/json",
                    resource: r, name: object.metadata.name, idempotent: false)
    }

    /// PUT of `object` (or its `subresource`) at `metadata.namespace`/`metadata.name`; an object
    /// without a name is refused before anything is encoded.
    func replaceCall<T: KubeResource>(_ object: T, subresource: String?, options: WriteOptions) throws(KubeError) -> Call {
        guard let name = object.metadata.name else { throw KubeError.decoding("replace needs metadata.name") }
        let r = T.resource
        return Call(verb: "update", method: "PUT",
                    path: r.objectPath(namespace: ns(r, object.metadata.namespace), name: name, subresource: subresource),
                    query: options.query, body: try Self.typedBody(object), contentType: "application/json",
                    resource: r, subresource: subresource, name: name, idempotent: true)
    }
}

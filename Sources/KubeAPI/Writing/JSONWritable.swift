/// A value that writes its own JSON text (`JSONWriter`) without Codable: the request bodies the
/// operator sends on every run (issue #10: Codable's keyed containers were ≈ 11 % of its CPU).
///
/// Contract: for every value, the text written is the text `JSONValueEncoder` + `serialized()`
/// makes of the value's `Encodable` conformance, up to the order of object members — the same
/// members (an optional that is `nil` omitted, as synthesized `encodeIfPresent` does; an empty
/// collection written as `[]`/`{}`), the same strings and numbers. Each conformance is proven
/// against the Codable path by a differential test with a fully populated and a minimal fixture.
public protocol JSONWritable {
    func writeJSON(into w: inout JSONWriter)
}

/// A `KubeResource` that writes itself; `writeJSON` writes `apiVersion` and `kind` from the
/// descriptor (as `KubeClient` adds them to the Codable path's output) before its own members.
public protocol JSONWritableResource: KubeResource, JSONWritable {}

extension JSONWritableResource {
    /// The request body: the object as JSON text.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        writeJSON(into: &w)
        return w.bytes
    }

    /// `KubeResource`'s hook: the writer's bytes.
    public func handWrittenJSON() -> [UInt8]? { jsonBytes() }
}

extension JSONWriter {
    /// `"apiVersion":…,"kind":…` of a resource, the first members of its object.
    public mutating func typeMeta(_ r: ResourceDescriptor) {
        key("apiVersion")
        string(r.apiVersion)
        key("kind")
        string(r.kind)
    }
}

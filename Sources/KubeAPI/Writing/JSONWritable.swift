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

extension String: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.string(self) }
}

extension Bool: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.bool(self) }
}

extension Int64: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.int(self) }
}

extension Int32: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.int(Int64(self)) }
}

extension Int: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.int(Int64(self)) }
}

extension JSONValue: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.value(self) }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginArray()
        for e in self {
            w.element()
            e.writeJSON(into: &w)
        }
        w.endArray()
    }
}

/// String-keyed maps (labels, annotations, quantities) are objects, as Codable encodes them.
extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        for (k, v) in self {
            w.dynamicKey(k)
            v.writeJSON(into: &w)
        }
        w.endObject()
    }
}

extension JSONWriter {
    /// A member; `value` as its conformance writes it.
    public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T) {
        key(name)
        value.writeJSON(into: &self)
    }

    /// A member that is omitted when `value` is `nil` (synthesized `encodeIfPresent`).
    public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        key(name)
        value.writeJSON(into: &self)
    }

    /// A `RawRepresentable` string member (the CRDs' enums), omitted when `nil`.
    public mutating func field<T: RawRepresentable>(_ name: StaticString, raw value: T?) where T.RawValue == String {
        guard let value else { return }
        key(name)
        string(value.rawValue)
    }
}

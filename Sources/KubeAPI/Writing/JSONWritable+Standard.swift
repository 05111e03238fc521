// The standard library's values as the Codable path writes them: strings, booleans, integers,
// raw JSON, arrays, and string-keyed dictionaries as objects.

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

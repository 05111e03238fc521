// Scalars of the models that are strings or numbers on the wire.

/// RFC 3339 text, as `KubeTime.encode(to:)` writes it.
extension KubeTime: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.string(rfc3339) }
}

/// Always with microseconds, as `MicroTime.encode(to:)` writes it.
extension MicroTime: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.string(KubeTime(secondsSince1970: time.secondsSince1970, precision: .micro).rfc3339)
    }
}

/// A number or a string, as `IntOrString.encode(to:)` writes it.
extension IntOrString: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        switch self {
        case .int(let i): w.int(Int64(i))
        case .string(let s): w.string(s)
        }
    }
}

/// The run namespace.
extension Namespace: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.field("status", status)
        w.endObject()
    }
}

extension NamespaceSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("finalizers", finalizers)
        w.endObject()
    }
}

extension NamespaceStatus: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("phase", phase)
        w.field("conditions", conditions)
        w.endObject()
    }
}

/// The agent's RoleBinding.
extension RoleBinding: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("subjects", subjects)
        w.field("roleRef", roleRef)
        w.endObject()
    }
}

extension Subject: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("kind", kind)
        w.field("name", name)
        w.field("namespace", namespace)
        w.field("apiGroup", apiGroup)
        w.endObject()
    }
}

extension RoleRef: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("apiGroup", apiGroup)
        w.field("kind", kind)
        w.field("name", name)
        w.endObject()
    }
}

/// The run's copy of the agent credentials.
extension Secret: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("type", type)
        w.field("data", data)
        w.field("stringData", stringData)
        w.field("immutable", immutable)
        w.endObject()
    }
}

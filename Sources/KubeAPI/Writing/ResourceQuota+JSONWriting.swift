/// The run namespace's ResourceQuota.
extension ResourceQuota: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.field("status", status)
        w.endObject()
    }
}

extension ResourceQuotaSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("hard", hard)
        w.field("scopes", scopes)
        w.endObject()
    }
}

extension ResourceQuotaStatus: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("hard", hard)
        w.field("used", used)
        w.endObject()
    }
}

/// The run namespace's LimitRange.
extension LimitRange: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.endObject()
    }
}

extension LimitRangeSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("limits", limits)
        w.endObject()
    }
}

extension LimitRangeItem: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("type", type)
        w.field("max", max)
        w.field("min", min)
        w.field("default", self.default)
        w.field("defaultRequest", defaultRequest)
        w.field("maxLimitRequestRatio", maxLimitRequestRatio)
        w.endObject()
    }
}

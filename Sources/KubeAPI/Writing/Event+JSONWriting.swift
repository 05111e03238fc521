/// The audit Events the recorder creates (2 per run).
extension Event: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("eventTime", eventTime)
        w.field("series", series)
        w.field("reportingController", reportingController)
        w.field("reportingInstance", reportingInstance)
        w.field("action", action)
        w.field("reason", reason)
        w.field("regarding", regarding)
        w.field("related", related)
        w.field("note", note)
        w.field("type", type)
        w.endObject()
    }
}

extension EventSeries: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("count", count)
        w.field("lastObservedTime", lastObservedTime)
        w.endObject()
    }
}

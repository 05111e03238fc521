/// The agent Job (the largest body the operator writes per run).
extension Job: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.field("status", status)
        w.endObject()
    }
}

extension JobSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("template", template)
        w.field("backoffLimit", backoffLimit)
        w.field("activeDeadlineSeconds", activeDeadlineSeconds)
        w.field("ttlSecondsAfterFinished", ttlSecondsAfterFinished)
        w.field("completions", completions)
        w.field("parallelism", parallelism)
        w.field("suspend", suspend)
        w.field("selector", selector)
        w.field("manualSelector", manualSelector)
        w.endObject()
    }
}

extension JobStatus: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("active", active)
        w.field("succeeded", succeeded)
        w.field("failed", failed)
        w.field("ready", ready)
        w.field("startTime", startTime)
        w.field("completionTime", completionTime)
        w.field("conditions", conditions)
        w.endObject()
    }
}

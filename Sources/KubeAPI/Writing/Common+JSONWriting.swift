// The small shared types of Common.swift.

extension LabelSelector: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("matchLabels", matchLabels)
        w.field("matchExpressions", matchExpressions)
        w.endObject()
    }
}

extension LabelSelectorRequirement: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("key", key)
        w.field("operator", self.operator)
        w.field("values", values)
        w.endObject()
    }
}

extension ObjectReference: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("apiVersion", apiVersion)
        w.field("kind", kind)
        w.field("namespace", namespace)
        w.field("name", name)
        w.field("uid", uid)
        w.field("resourceVersion", resourceVersion)
        w.field("fieldPath", fieldPath)
        w.endObject()
    }
}

extension LocalObjectReference: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.endObject()
    }
}

extension Condition: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("type", type)
        w.field("status", status)
        w.field("reason", reason)
        w.field("message", message)
        w.field("lastTransitionTime", lastTransitionTime)
        w.field("lastProbeTime", lastProbeTime)
        w.field("lastUpdateTime", lastUpdateTime)
        w.field("observedGeneration", observedGeneration)
        w.endObject()
    }
}

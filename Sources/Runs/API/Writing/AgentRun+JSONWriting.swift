import KubeAPI

/// AgentRun bodies: the operator replaces `/status` of every run several times.
extension AgentRun: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.field("status", status)
        w.endObject()
    }
}

extension AgentRunSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("repository", repository)
        w.field("issue", issue)
        w.field("pullRequest", pullRequest)
        w.field("stage", raw: stage)
        w.field("revise", revise)
        w.field("mode", raw: mode)
        w.field("model", model)
        w.field("reasoning", raw: reasoning)
        w.field("labels", labels)
        w.field("debug", debug)
        w.field("timeout", timeout)
        w.field("agent", agent)
        w.field("cancel", cancel)
        w.field("trigger", trigger)
        w.endObject()
    }
}

extension RunLabel: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("scope", raw: scope)
        w.endObject()
    }
}

extension AgentOverrides: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("image", image)
        w.field("command", command)
        w.field("args", args)
        w.field("env", env)
        w.field("resources", resources)
        w.endObject()
    }
}

extension AgentEnvVar: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("value", value)
        w.endObject()
    }
}

extension AgentResources: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("requests", requests)
        w.field("limits", limits)
        w.endObject()
    }
}

extension RunTrigger: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("source", raw: source)
        w.field("deliveryID", deliveryID)
        w.field("event", event)
        w.field("action", action)
        w.field("label", label)
        w.field("sender", sender)
        w.field("receivedAt", receivedAt)
        w.endObject()
    }
}

/// The text `RunDuration.encode(to:)` writes (`24h`, `90s`).
extension RunDuration: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) { w.string(description) }
}

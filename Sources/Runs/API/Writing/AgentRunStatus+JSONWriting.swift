import KubeAPI

/// `status` of an AgentRun, written at admission, provisioning, Running and the end of every run.
extension AgentRunStatus: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("phase", raw: phase)
        w.field("reason", raw: reason)
        w.field("message", message)
        w.field("model", model)
        w.field("reasoning", raw: reasoning)
        w.field("profileSource", profileSource)
        w.field("mode", raw: mode)
        w.field("namespace", namespace)
        w.field("runNamespace", runNamespace)
        w.field("jobName", jobName)
        w.field("reusedNamespace", reusedNamespace)
        w.field("leaseExpiresAt", leaseExpiresAt)
        w.field("startedAt", startedAt)
        w.field("finishedAt", finishedAt)
        w.field("waitedSeconds", waitedSeconds)
        w.field("observedGeneration", observedGeneration)
        w.field("conditions", conditions)
        w.field("report", report)
        w.endObject()
    }
}

extension ProfileSources: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("model", raw: model)
        w.field("reasoning", raw: reasoning)
        w.endObject()
    }
}

extension AgentRunReport: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("commentID", commentID)
        w.field("targets", targets)
        w.endObject()
    }
}

extension ReportedState: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("target", raw: target)
        w.field("state", state)
        w.endObject()
    }
}

import KubeAPI

/// RunNamespace bodies: created once per run namespace, its `/status` replaced on every lease change.
extension RunNamespace: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.field("status", status)
        w.endObject()
    }
}

extension RunNamespaceSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("repository", repository)
        w.field("issue", issue)
        w.field("stage", raw: stage)
        w.field("role", raw: role)
        w.field("mode", raw: mode)
        w.field("ttl", ttl)
        w.field("retain", retain)
        w.endObject()
    }
}

extension RunNamespaceStatus: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("phase", raw: phase)
        w.field("leaseExpiresAt", leaseExpiresAt)
        w.field("leaseRenewedAt", leaseRenewedAt)
        w.field("renewals", renewals)
        w.field("activeRuns", activeRuns)
        w.field("lastRun", lastRun)
        w.field("conditions", conditions)
        w.endObject()
    }
}

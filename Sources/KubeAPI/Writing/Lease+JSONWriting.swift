/// The leader-election Lease (renewed every few seconds).
extension Lease: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.endObject()
    }
}

extension LeaseSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("holderIdentity", holderIdentity)
        w.field("leaseDurationSeconds", leaseDurationSeconds)
        w.field("acquireTime", acquireTime)
        w.field("renewTime", renewTime)
        w.field("leaseTransitions", leaseTransitions)
        w.endObject()
    }
}

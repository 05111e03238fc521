/// The agent's ServiceAccount.
extension ServiceAccount: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("automountServiceAccountToken", automountServiceAccountToken)
        w.field("secrets", secrets)
        w.field("imagePullSecrets", imagePullSecrets)
        w.endObject()
    }
}

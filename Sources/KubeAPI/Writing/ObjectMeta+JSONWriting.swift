/// `metadata` of every object the operator writes; members in declaration order.
extension ObjectMeta: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("generateName", generateName)
        w.field("namespace", namespace)
        w.field("uid", uid)
        w.field("resourceVersion", resourceVersion)
        w.field("generation", generation)
        w.field("creationTimestamp", creationTimestamp)
        w.field("deletionTimestamp", deletionTimestamp)
        w.field("deletionGracePeriodSeconds", deletionGracePeriodSeconds)
        w.field("labels", labels)
        w.field("annotations", annotations)
        w.field("ownerReferences", ownerReferences)
        w.field("finalizers", finalizers)
        w.endObject()
    }
}

extension OwnerReference: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("apiVersion", apiVersion)
        w.field("kind", kind)
        w.field("name", name)
        w.field("uid", uid)
        w.field("controller", controller)
        w.field("blockOwnerDeletion", blockOwnerDeletion)
        w.endObject()
    }
}

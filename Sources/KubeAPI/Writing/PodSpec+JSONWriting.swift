// The pod template of the agent Job.

extension PodTemplateSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.endObject()
    }
}

extension PodSpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("containers", containers)
        w.field("initContainers", initContainers)
        w.field("restartPolicy", restartPolicy)
        w.field("serviceAccountName", serviceAccountName)
        w.field("automountServiceAccountToken", automountServiceAccountToken)
        w.field("securityContext", securityContext)
        w.field("volumes", volumes)
        w.field("nodeSelector", nodeSelector)
        w.field("activeDeadlineSeconds", activeDeadlineSeconds)
        w.field("terminationGracePeriodSeconds", terminationGracePeriodSeconds)
        w.field("imagePullSecrets", imagePullSecrets)
        w.field("enableServiceLinks", enableServiceLinks)
        w.field("nodeName", nodeName)
        w.endObject()
    }
}

extension PodSecurityContext: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("runAsNonRoot", runAsNonRoot)
        w.field("runAsUser", runAsUser)
        w.field("runAsGroup", runAsGroup)
        w.field("fsGroup", fsGroup)
        w.field("seccompProfile", seccompProfile)
        w.endObject()
    }
}

extension SeccompProfile: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("type", type)
        w.field("localhostProfile", localhostProfile)
        w.endObject()
    }
}

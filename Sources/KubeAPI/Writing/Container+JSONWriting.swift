// A container and its parts.

extension Container: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("image", image)
        w.field("imagePullPolicy", imagePullPolicy)
        w.field("command", command)
        w.field("args", args)
        w.field("workingDir", workingDir)
        w.field("env", env)
        w.field("resources", resources)
        w.field("securityContext", securityContext)
        w.field("volumeMounts", volumeMounts)
        w.endObject()
    }
}

extension EnvVar: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("value", value)
        w.field("valueFrom", valueFrom)
        w.endObject()
    }
}

extension EnvVarSource: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("secretKeyRef", secretKeyRef)
        w.field("configMapKeyRef", configMapKeyRef)
        w.field("fieldRef", fieldRef)
        w.endObject()
    }
}

extension KeySelector: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("key", key)
        w.field("optional", optional)
        w.endObject()
    }
}

extension ObjectFieldSelector: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("fieldPath", fieldPath)
        w.field("apiVersion", apiVersion)
        w.endObject()
    }
}

extension SecurityContext: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("runAsNonRoot", runAsNonRoot)
        w.field("runAsUser", runAsUser)
        w.field("runAsGroup", runAsGroup)
        w.field("allowPrivilegeEscalation", allowPrivilegeEscalation)
        w.field("privileged", privileged)
        w.field("readOnlyRootFilesystem", readOnlyRootFilesystem)
        w.field("capabilities", capabilities)
        w.field("seccompProfile", seccompProfile)
        w.endObject()
    }
}

extension Capabilities: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("add", add)
        w.field("drop", drop)
        w.endObject()
    }
}

extension ResourceRequirements: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("limits", limits)
        w.field("requests", requests)
        w.endObject()
    }
}

extension VolumeMount: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("mountPath", mountPath)
        w.field("readOnly", readOnly)
        w.field("subPath", subPath)
        w.endObject()
    }
}

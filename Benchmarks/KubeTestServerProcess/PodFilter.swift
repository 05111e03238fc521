import KubeTestServer

// Only KubeTestServer is imported here: KubeAPI has a `LabelSelector` too, and the module's own
// class of the same name hides a module-qualified spelling.

/// Pods matching the label selector `selector` (Kubernetes syntax), in every namespace.
func podFilter(_ server: KubeTestServer, selector: String) throws -> WatchFilter? {
    guard let pods = server.store.resourceType(group: "", version: "v1", plural: "pods") else { return nil }
    return WatchFilter(type: pods, labels: try LabelSelector(parsing: selector))
}

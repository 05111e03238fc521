import KubeAPI

/// The resourcequota controller: after any change in a namespace that has quotas, every quota's
/// `status.hard` is set to its `spec.hard` and `status.used` to the recounted usage of the objects
/// it covers (one entry per hard resource, `0` when nothing is used). Runs inside `settle()`, so
/// the status is current when the write that changed it returns (a real cluster gets there a
/// moment later).
extension StoreState {
    /// Whether `event` may change some quota's status in its namespace.
    func affectsQuotas(_ event: StoredEvent) -> Bool {
        guard let ns = event.namespace else { return false }
        if event.storageKey == "resourcequotas" {
            return event.type == .added || event.previous?["spec"] != event.object["spec"]
        }
        return objects["resourcequotas"]?.values.contains { $0[path: ["metadata", "namespace"]]?.stringValue == ns } ?? false
    }

    mutating func syncQuotas(in ns: String) {
        for quota in namespacedObjects("resourcequotas", in: ns) where quota[path: ["metadata", "deletionTimestamp"]] == nil {
            let specHard = ResourceLists.read(quota[path: ["spec", "hard"]])
            var used: ResourceList = [:]
            var counted: [String: [JSONValue]] = [:]
            for resource in specHard.keys {
                used[resource] = .zero
                guard let key = QuotaUsage.storageKey(of: resource) else { continue }
                if counted[key] == nil {
                    counted[key] = namespacedObjects(key, in: ns).filter { QuotaUsage.matches(quota: quota, object: $0, storageKey: key) }
                }
                for object in counted[key]! {
                    if let u = QuotaUsage.usage(of: object, storageKey: key)[resource] { used[resource] = used[resource]! + u }
                }
            }
            let status: JSONValue = ["hard": ResourceLists.json(specHard), "used": ResourceLists.json(used)]
            guard quota["status"] != status else { continue }
            var updated = quota
            updated["status"] = status
            commit(.modified, storageKey: "resourcequotas", object: updated, previous: quota)
        }
    }
}

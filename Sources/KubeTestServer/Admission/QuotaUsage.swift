import KubeAPI

/// What one object consumes of a ResourceQuota, per the quota evaluators of kube-apiserver:
/// `count/<resource>[.<group>]` for every kind; the legacy names `pods`, `secrets`, `configmaps`,
/// `resourcequotas`, `services`, `persistentvolumeclaims`, `replicationcontrollers`; and for
/// non-terminal Pods the compute resources `requests.*` (also bare `cpu`, `memory`,
/// `ephemeral-storage`) and `limits.*` — containers summed, each init container a floor; for
/// PersistentVolumeClaims (when served) `requests.storage`, also per storage class.
enum QuotaUsage {
    static let legacyCounts: Set<String> = ["pods", "secrets", "configmaps", "resourcequotas", "services",
                                            "persistentvolumeclaims", "replicationcontrollers"]
    /// Resources whose quota makes every container declare them (`must specify …`).
    static let containerConstraints: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
    static let computeNames: Set<String> = ["cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                                            "requests.ephemeral-storage", "limits.cpu", "limits.memory",
                                            "limits.ephemeral-storage"]

    /// The storage key a quota resource name counts, or nil when the server has no such resource.
    static func storageKey(of resource: String) -> String? {
        if resource.hasPrefix("count/") { return String(resource.dropFirst(6)) }
        if legacyCounts.contains(resource) { return resource }
        if resource == "requests.storage" || resource.hasSuffix(".storageclass.storage.k8s.io/requests.storage")
            || resource.hasSuffix(".storageclass.storage.k8s.io/persistentvolumeclaims") {
            return "persistentvolumeclaims"
        }
        if computeNames.contains(resource) || resource.hasPrefix("requests.") || resource.hasPrefix("limits.") { return "pods" }
        return nil
    }

    static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    static func usage(of object: JSONValue, storageKey: String) -> ResourceList {
        var out: ResourceList = ["count/\(storageKey)": Quantity(integer: 1)]
        if storageKey == "pods" {
            if isTerminal(object) { return out }
            out["pods"] = Quantity(integer: 1)
            for (k, v) in compute(object["spec"]) { out[k] = v }
        } else if legacyCounts.contains(storageKey) {
            out[storageKey] = Quantity(integer: 1)
        }
        if storageKey == "persistentvolumeclaims", let storage = ResourceLists.read(object[path: ["spec", "resources", "requests"]])["storage"] {
            out["requests.storage"] = storage
            if let cls = object[path: ["spec", "storageClassName"]]?.stringValue {
                out["\(cls).storageclass.storage.k8s.io/requests.storage"] = storage
                out["\(cls).storageclass.storage.k8s.io/persistentvolumeclaims"] = Quantity(integer: 1)
            }
        }
        return out
    }

    /// The pod's compute usage: max(sum of containers, largest init container) per resource.
    static func compute(_ spec: JSONValue?) -> ResourceList {
        let containers = ResourceLists.containers(spec)
        func podTotal(_ pick: (ResourceList, ResourceList) -> ResourceList) -> ResourceList {
            var sum: ResourceList = [:]
            for c in containers where !c.isInit { sum = ResourceLists.add(sum, pick(c.requests, c.limits)) }
            for c in containers where c.isInit {
                for (k, v) in pick(c.requests, c.limits) where v > (sum[k] ?? .zero) { sum[k] = v }
            }
            return sum
        }
        var out: ResourceList = [:]
        for (k, v) in podTotal({ r, _ in r }) {
            out["requests.\(k)"] = v
            if ["cpu", "memory", "ephemeral-storage"].contains(k) { out[k] = v }
        }
        for (k, v) in podTotal({ _, l in l }) { out["limits.\(k)"] = v }
        return out
    }

    /// Whether a quota's scopes select the object (scopes only ever select Pods).
    static func matches(quota: JSONValue, object: JSONValue, storageKey: String) -> Bool {
        var scopes = (quota[path: ["spec", "scopes"]]?.arrayValue ?? []).compactMap(\.stringValue)
        for e in quota[path: ["spec", "scopeSelector", "matchExpressions"]]?.arrayValue ?? [] {
            if let s = e["scopeName"]?.stringValue { scopes.append(s) }
        }
        if scopes.isEmpty { return true }
        guard storageKey == "pods" else { return false }
        let terminating = object[path: ["spec", "activeDeadlineSeconds"]] != nil
        let bestEffort = PodDefaults.qosClass(object["spec"] ?? [:]) == "BestEffort"
        return scopes.allSatisfy { scope in
            switch scope {
            case "Terminating": terminating
            case "NotTerminating": !terminating
            case "BestEffort": bestEffort
            case "NotBestEffort": !bestEffort
            default: false
            }
        }
    }

    /// The quota's hard limits (`status.hard` as the admission plugin reads it; `spec.hard` before the
    /// controller has run).
    static func hard(_ quota: JSONValue) -> ResourceList {
        ResourceLists.read(quota[path: ["status", "hard"]] ?? quota[path: ["spec", "hard"]])
    }
}

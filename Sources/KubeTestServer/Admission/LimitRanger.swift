import KubeAPI

/// LimitRanger admission for Pods (create only, like the real plugin; pods/status and updates are
/// skipped). Mutating: container `Default` limits and `DefaultRequest` requests of every
/// LimitRange in the namespace are filled in where missing, and the pod is annotated
/// `kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container c; …`.
/// Validating: `min`, `max` and `maxLimitRequestRatio` of `Container` and `Pod` limits, with the
/// plugin's messages (`maximum cpu usage per Container is 1, but limit is 2`), all violations
/// aggregated into one 403.
extension StoreState {
    func limitRanges(in ns: String?) -> [JSONValue] {
        guard let ns else { return [] }
        return namespacedObjects("limitranges", in: ns).sorted {
            ($0[path: ["metadata", "name"]]?.stringValue ?? "") < ($1[path: ["metadata", "name"]]?.stringValue ?? "")
        }
    }

    func limitRangerDefaults(_ request: AdmissionRequest, _ pod: inout JSONValue) {
        for range in limitRanges(in: request.namespace) {
            var defaultLimits: [String: JSONValue] = [:]
            var defaultRequests: [String: JSONValue] = [:]
            for item in range[path: ["spec", "limits"]]?.arrayValue ?? [] where item["type"]?.stringValue == "Container" {
                for (k, v) in item["defaultRequest"]?.objectValue ?? [:] { defaultRequests[k] = v }
                for (k, v) in item["default"]?.objectValue ?? [:] { defaultLimits[k] = v }
            }
            var notes: [String] = []
            for (key, label) in [("containers", "container"), ("initContainers", "init container")] {
                guard var list = pod[path: ["spec", key]]?.arrayValue else { continue }
                for i in list.indices {
                    var setLimits: [String] = []
                    var setRequests: [String] = []
                    var limits = list[i][path: ["resources", "limits"]]?.objectValue ?? [:]
                    var requests = list[i][path: ["resources", "requests"]]?.objectValue ?? [:]
                    for (k, v) in defaultLimits where limits[k] == nil { limits[k] = v; setLimits.append(k) }
                    for (k, v) in defaultRequests where requests[k] == nil { requests[k] = v; setRequests.append(k) }
                    if !limits.isEmpty { list[i].set(path: ["resources", "limits"], to: .object(limits)) }
                    if !requests.isEmpty { list[i].set(path: ["resources", "requests"], to: .object(requests)) }
                    let name = list[i]["name"]?.stringValue ?? ""
                    if !setRequests.isEmpty { notes.append("\(setRequests.sorted().joined(separator: ", ")) request for \(label) \(name)") }
                    if !setLimits.isEmpty { notes.append("\(setLimits.sorted().joined(separator: ", ")) limit for \(label) \(name)") }
                }
                pod.set(path: ["spec", key], to: .array(list))
            }
            if !notes.isEmpty {
                pod.set(path: ["metadata", "annotations", "kubernetes.io/limit-ranger"],
                        to: .string("LimitRanger plugin set: " + notes.joined(separator: "; ")))
            }
        }
    }

    func limitRangerValidate(_ request: AdmissionRequest, _ pod: JSONValue) throws(APIError) {
        var errors: [String] = []
        let containers = ResourceLists.containers(pod["spec"])
        for range in limitRanges(in: request.namespace) {
            for item in range[path: ["spec", "limits"]]?.arrayValue ?? [] {
                let type = item["type"]?.stringValue ?? ""
                let min = ResourceLists.read(item["min"]), max = ResourceLists.read(item["max"])
                let ratio = ResourceLists.read(item["maxLimitRequestRatio"])
                func check(_ requests: ResourceList, _ limits: ResourceList) {
                    for k in min.keys.sorted() { if let e = Self.minConstraint(type, k, min[k]!, requests, limits) { errors.append(e) } }
                    for k in max.keys.sorted() { if let e = Self.maxConstraint(type, k, max[k]!, requests, limits) { errors.append(e) } }
                    for k in ratio.keys.sorted() { if let e = Self.ratioConstraint(type, k, ratio[k]!, requests, limits) { errors.append(e) } }
                }
                switch type {
                case "Container":
                    for c in containers { check(c.requests, c.limits) }
                case "Pod":
                    let regular = containers.filter { !$0.isInit }
                    check(regular.map(\.requests).reduce([:], ResourceLists.add),
                          regular.map(\.limits).reduce([:], ResourceLists.add))
                default:
                    break
                }
            }
        }
        guard !errors.isEmpty else { return }
        throw request.forbidden(errors.count == 1 ? errors[0] : "[\(errors.joined(separator: ", "))]")
    }

    static func minConstraint(_ type: String, _ name: String, _ enforced: Quantity, _ requests: ResourceList,
                              _ limits: ResourceList) -> String? {
        guard let req = requests[name] else { return "minimum \(name) usage per \(type) is \(enforced).  No request is specified" }
        if req.milliValue < enforced.milliValue { return "minimum \(name) usage per \(type) is \(enforced), but request is \(req)" }
        if let lim = limits[name], lim.milliValue < enforced.milliValue {
            return "minimum \(name) usage per \(type) is \(enforced), but limit is \(lim)"
        }
        return nil
    }

    static func maxConstraint(_ type: String, _ name: String, _ enforced: Quantity, _ requests: ResourceList,
                              _ limits: ResourceList) -> String? {
        guard let lim = limits[name] else { return "maximum \(name) usage per \(type) is \(enforced).  No limit is specified" }
        if lim.milliValue > enforced.milliValue { return "maximum \(name) usage per \(type) is \(enforced), but limit is \(lim)" }
        if let req = requests[name], req.milliValue > enforced.milliValue {
            return "maximum \(name) usage per \(type) is \(enforced), but request is \(req)"
        }
        return nil
    }

    static func ratioConstraint(_ type: String, _ name: String, _ enforced: Quantity, _ requests: ResourceList,
                                _ limits: ResourceList) -> String? {
        guard let req = requests[name], req.milliValue != 0 else {
            return "\(name) max limit to request ratio per \(type) is \(enforced), but no request is specified or request is 0"
        }
        guard let lim = limits[name], lim.milliValue != 0 else {
            return "\(name) max limit to request ratio per \(type) is \(enforced), but no limit is specified or limit is 0"
        }
        let observed = Double(lim.milliValue) / Double(req.milliValue)
        if observed * 1000 > Double(enforced.milliValue) {
            return "\(name) max limit to request ratio per \(type) is \(enforced), but provided ratio is \(Self.goFloat(observed))"
        }
        return nil
    }

    /// Go's `%f`: six decimals.
    static func goFloat(_ d: Double) -> String {
        let scaled = (d * 1_000_000).rounded()
        let whole = Int64(scaled / 1_000_000)
        let frac = Int64(scaled) - whole * 1_000_000
        let fracText = String(frac)
        return "\(whole)." + String(repeating: "0", count: 6 - fracText.count) + fracText
    }
}

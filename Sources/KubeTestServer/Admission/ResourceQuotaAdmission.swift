import KubeAPI

/// ResourceQuota admission (validating, creates only — updates of the kinds served here never
/// change usage): for every quota in the namespace whose scopes select the object, a Pod must
/// declare every constrained compute resource (`failed quota: q: must specify limits.cpu for: c`),
/// and the object's usage added to the quota's `status.used` must stay within `status.hard`
/// (`exceeded quota: q, requested: secrets=1, used: secrets=1, limited: secrets=1`). The quota
/// controller (`ResourceQuotaController`) then recounts `status.used` after the write.
extension StoreState {
    func resourceQuotaAdmit(_ request: AdmissionRequest, _ object: JSONValue) throws(APIError) {
        guard request.operation == .create, let ns = request.namespace else { return }
        let key = request.type.storageKey
        let quotas = namespacedObjects("resourcequotas", in: ns).sorted {
            ($0[path: ["metadata", "name"]]?.stringValue ?? "") < ($1[path: ["metadata", "name"]]?.stringValue ?? "")
        }
        guard !quotas.isEmpty else { return }
        let usage = QuotaUsage.usage(of: object, storageKey: key)
        for quota in quotas where QuotaUsage.matches(quota: quota, object: object, storageKey: key) {
            let name = quota[path: ["metadata", "name"]]?.stringValue ?? ""
            let hard = QuotaUsage.hard(quota)
            let restricted = Set(hard.keys.filter { QuotaUsage.storageKey(of: $0) == key })
            if key == "pods" {
                let required = restricted.intersection(QuotaUsage.containerConstraints)
                var missing: [String: Set<String>] = [:]
                for c in ResourceLists.containers(object["spec"]) {
                    let declared = Set(QuotaUsage.compute(["containers": [["resources": [
                        "requests": ResourceLists.json(c.requests), "limits": ResourceLists.json(c.limits)]]]]).keys)
                    for r in required.subtracting(declared) { missing[r, default: []].insert(c.name) }
                }
                if !missing.isEmpty {
                    let text = missing.keys.sorted().map { "\($0) for: \(missing[$0]!.sorted().joined(separator: ","))" }
                    throw request.forbidden("failed quota: \(name): must specify \(text.joined(separator: "; "))")
                }
            }
            let used = ResourceLists.read(quota[path: ["status", "used"]])
            var exceeded: [String] = []
            for r in restricted.sorted() {
                guard let requested = usage[r], !requested.isZero else { continue }
                if (used[r] ?? .zero) + requested > hard[r]! { exceeded.append(r) }
            }
            if !exceeded.isEmpty {
                func mask(_ l: ResourceList) -> ResourceList { l.filter { exceeded.contains($0.key) } }
                var usedShown = mask(used)
                for r in exceeded where usedShown[r] == nil { usedShown[r] = .zero }
                throw request.forbidden("exceeded quota: \(name), requested: \(ResourceLists.pretty(mask(usage))), used: \(ResourceLists.pretty(usedShown)), limited: \(ResourceLists.pretty(mask(hard)))")
            }
        }
    }
}

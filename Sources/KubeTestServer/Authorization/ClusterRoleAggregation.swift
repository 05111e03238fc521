import KubeAPI

/// The clusterrole-aggregation controller, run inside the write that changed a ClusterRole: every
/// ClusterRole with an `aggregationRule` gets the rules of the ClusterRoles its selectors match
/// (in name order, itself excluded, duplicates dropped), written only when they differ.
extension StoreState {
    mutating func aggregateClusterRoles() {
        let key = RBACAuthorizer.clusterRoles
        guard let all = objects[key] else { return }
        let sorted = all.values.sorted {
            ($0[path: ["metadata", "name"]]?.stringValue ?? "") < ($1[path: ["metadata", "name"]]?.stringValue ?? "")
        }
        for role in sorted {
            guard let selectors = role[path: ["aggregationRule", "clusterRoleSelectors"]]?.arrayValue,
                  role[path: ["metadata", "deletionTimestamp"]] == nil else { continue }
            let name = role[path: ["metadata", "name"]]?.stringValue ?? ""
            var rules: [PolicyRule] = []
            for selectorJSON in selectors {
                guard let selector = Self.labelSelector(selectorJSON) else { continue }
                for source in sorted where source[path: ["metadata", "name"]]?.stringValue != name {
                    guard selector.matches(source[path: ["metadata", "labels"]]?.objectValue) else { continue }
                    for r in PolicyRule.rules(of: source) where !rules.contains(r) { rules.append(r) }
                }
            }
            guard rules != PolicyRule.rules(of: role) else { continue }
            var updated = role
            updated["rules"] = rules.isEmpty ? nil : .array(rules.map(\.json))
            commit(.modified, storageKey: key, object: updated, previous: role)
        }
    }

    /// A `metav1.LabelSelector` (`matchLabels`, `matchExpressions`) as a `LabelSelector`; nil if malformed.
    static func labelSelector(_ json: JSONValue) -> LabelSelector? {
        var reqs: [LabelSelector.Requirement] = []
        for (k, v) in (json["matchLabels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let s = v.stringValue else { return nil }
            reqs.append(.init(key: k, op: .equals(s)))
        }
        for e in json["matchExpressions"]?.arrayValue ?? [] {
            guard let k = e["key"]?.stringValue else { return nil }
            let values = Set((e["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch e["operator"]?.stringValue {
            case "In"?: reqs.append(.init(key: k, op: .in(values)))
            case "NotIn"?: reqs.append(.init(key: k, op: .notIn(values)))
            case "Exists"?: reqs.append(.init(key: k, op: .exists))
            case "DoesNotExist"?: reqs.append(.init(key: k, op: .doesNotExist))
            default: return nil
            }
        }
        return LabelSelector(requirements: reqs)
    }
}

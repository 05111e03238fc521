import KubeAPI

extension LabelSelector {
    /// A `metav1.LabelSelector` object (`matchLabels` and `matchExpressions`); `{}` selects everything.
    /// Unknown operators select nothing, as `LabelSelectorAsSelector` would have rejected them.
    init(json: JSONValue) {
        var reqs: [Requirement] = []
        for (k, v) in json["matchLabels"]?.objectValue ?? [:] {
            reqs.append(Requirement(key: k, op: .equals(v.stringValue ?? "")))
        }
        for e in json["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = Set((e["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch e["operator"]?.stringValue {
            case "In": reqs.append(Requirement(key: key, op: .in(values)))
            case "NotIn": reqs.append(Requirement(key: key, op: .notIn(values)))
            case "Exists": reqs.append(Requirement(key: key, op: .exists))
            case "DoesNotExist": reqs.append(Requirement(key: key, op: .doesNotExist))
            default: reqs.append(Requirement(key: key, op: .in([])))
            }
        }
        self.init(requirements: reqs)
    }
}

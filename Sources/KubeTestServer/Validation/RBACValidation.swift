import KubeAPI

/// RBAC validation (`pkg/apis/rbac/validation`): rules need verbs and — for resource rules —
/// apiGroups and resources; namespaced Roles cannot name non-resource URLs; bindings need a valid
/// `roleRef` (which can never change: `cannot change roleRef`) and well-formed subjects.
enum RBACValidation {
    static let group = "rbac.authorization.k8s.io"

    static func rules(_ obj: JSONValue, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, rule) in (obj["rules"]?.arrayValue ?? []).enumerated() {
            let path = "rules[\(i)]"
            func count(_ k: String) -> Int { rule[k]?.arrayValue?.count ?? 0 }
            if count("verbs") == 0 { errors.append(.required("\(path).verbs", "verbs must contain at least one value")) }
            if count("nonResourceURLs") > 0 {
                if namespaced {
                    errors.append(.invalid("\(path).nonResourceURLs", rule["nonResourceURLs"]!, "namespaced rules cannot apply to non-resource URLs"))
                }
                if count("apiGroups") > 0 || count("resources") > 0 || count("resourceNames") > 0 {
                    errors.append(.invalid("\(path).nonResourceURLs", rule["nonResourceURLs"]!, "rules cannot apply to both regular resources and non-resource URLs"))
                }
                continue
            }
            if count("apiGroups") == 0 { errors.append(.required("\(path).apiGroups", "resource rules must supply at least one api group")) }
            if count("resources") == 0 { errors.append(.required("\(path).resources", "resource rules must supply at least one resource")) }
        }
        return errors
    }

    static func binding(_ obj: JSONValue, old: JSONValue?, clusterScoped: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let ref = obj["roleRef"] ?? [:]
        if let old, old["roleRef"] != obj["roleRef"] {
            return [.invalid("roleRef", .object(ref.objectValue ?? [:]), "cannot change roleRef")]
        }
        if ref[("apiGroup")]?.stringValue != group {
            errors.append(.notSupported("roleRef.apiGroup", ref["apiGroup"] ?? .string(""), [group]))
        }
        let kinds = clusterScoped ? ["ClusterRole"] : ["Role", "ClusterRole"]
        if !kinds.contains(ref["kind"]?.stringValue ?? "") {
            errors.append(.notSupported("roleRef.kind", ref["kind"] ?? .string(""), kinds))
        }
        let name = ref["name"]?.stringValue ?? ""
        if name.isEmpty {
            errors.append(.required("roleRef.name", ""))
        } else if name.contains("/") || name.contains("%") || name == "." || name == ".." {
            errors.append(.invalid("roleRef.name", name, name.count <= 2 && name.allSatisfy({ $0 == "." }) ? "may not be '\(name)'" : "may not contain '/' or '%'"))
        }
        for (i, subject) in (obj["subjects"]?.arrayValue ?? []).enumerated() {
            let path = "subjects[\(i)]"
            let subjectName = subject["name"]?.stringValue ?? ""
            if subjectName.isEmpty { errors.append(.required("\(path).name", "")) }
            switch subject["kind"]?.stringValue ?? "" {
            case "ServiceAccount":
                if let g = subject["apiGroup"]?.stringValue, !g.isEmpty {
                    errors.append(.notSupported("\(path).apiGroup", .string(g), [""]))
                }
                if clusterScoped, (subject["namespace"]?.stringValue ?? "").isEmpty {
                    errors.append(.required("\(path).namespace", ""))
                }
            case "User", "Group":
                if subject["apiGroup"]?.stringValue != group {
                    errors.append(.notSupported("\(path).apiGroup", subject["apiGroup"] ?? .string(""), [group]))
                }
            default:
                errors.append(.notSupported("\(path).kind", subject["kind"] ?? .string(""), ["ServiceAccount", "User", "Group"]))
            }
        }
        return errors
    }
}

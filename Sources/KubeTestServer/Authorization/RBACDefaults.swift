import KubeAPI

/// rbac/v1 scheme defaults (`SetDefaults_Subject`): a User or Group subject without `apiGroup`
/// gets `rbac.authorization.k8s.io` (a ServiceAccount subject's is `""`, omitted in JSON).
enum RBACDefaults {
    static func subjects(_ obj: inout JSONValue) {
        guard let subjects = obj["subjects"]?.arrayValue else { return }
        obj["subjects"] = .array(subjects.map { s in
            guard (s["apiGroup"]?.stringValue ?? "").isEmpty, case .object = s else { return s }
            var s = s
            if s["kind"] == "User" || s["kind"] == "Group" { s["apiGroup"] = "rbac.authorization.k8s.io" }
            return s
        })
    }
}

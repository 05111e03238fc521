import KubeAPI

/// Scheme defaulting of RoleBinding/ClusterRoleBinding (k8s `pkg/apis/rbac/v1/defaults.go`):
/// an empty `roleRef.apiGroup` becomes `rbac.authorization.k8s.io`, and so does an empty
/// `apiGroup` of a `User` or `Group` subject (a `ServiceAccount` subject keeps `""`). Validation
/// runs after this, so a binding written without those groups is accepted as on a real server.
enum RBACDefaults {
    static let group = "rbac.authorization.k8s.io"

    static func binding(_ obj: inout JSONValue) {
        if case .object = obj["roleRef"] ?? .null, (obj[path: ["roleRef", "apiGroup"]]?.stringValue ?? "").isEmpty {
            obj.set(path: ["roleRef", "apiGroup"], to: .string(group))
        }
        guard let subjects = obj["subjects"]?.arrayValue else { return }
        obj["subjects"] = .array(subjects.map { subject in
            var subject = subject
            if case .object = subject, (subject["apiGroup"]?.stringValue ?? "").isEmpty,
               let kind = subject["kind"]?.stringValue, kind == "User" || kind == "Group" {
                subject["apiGroup"] = .string(group)
            }
            return subject
        })
    }
}

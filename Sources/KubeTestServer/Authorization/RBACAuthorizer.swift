import KubeAPI

/// The RBAC authorizer of `plugin/pkg/auth/authorizer/rbac`, evaluated over a snapshot of the
/// stored Roles, ClusterRoles and their bindings, behind the privileged-group authorizer
/// (`system:masters` may do anything).
///
/// Bindings are visited like `DefaultRuleResolver.VisitRulesFor`: every ClusterRoleBinding, then the
/// RoleBindings of the request's namespace (each in name order); the first rule that allows the
/// request decides, and its source becomes the reason (`RBAC: allowed by RoleBinding "rb/ns" of
/// ClusterRole "view" to ServiceAccount "robot/ns"`). Bindings to missing roles are resolution
/// errors, reported in the reason of a denial.
struct RBACAuthorizer: Sendable {
    static let roles = "roles.rbac.authorization.k8s.io"
    static let clusterRoles = "clusterroles.rbac.authorization.k8s.io"
    static let roleBindings = "rolebindings.rbac.authorization.k8s.io"
    static let clusterRoleBindings = "clusterrolebindings.rbac.authorization.k8s.io"

    var roles: ObjectTable
    var clusterRoles: ObjectTable
    var roleBindings: ObjectTable
    var clusterRoleBindings: ObjectTable
    /// `role.rbac.authorization.k8s.io` (the authorizer's listers) or `roles.rbac.authorization.k8s.io`
    /// (the registry's getters, used by escalation checks) in "not found" texts.
    var pluralNotFound = false

    init(_ s: StoreState) {
        roles = s.objects[Self.roles] ?? [:]
        clusterRoles = s.objects[Self.clusterRoles] ?? [:]
        roleBindings = s.objects[Self.roleBindings] ?? [:]
        clusterRoleBindings = s.objects[Self.clusterRoleBindings] ?? [:]
    }

    struct Decision: Sendable, Hashable {
        var allowed: Bool
        var reason: String
    }

    /// The answer for `a`: the privileged group, then RBAC.
    func authorize(_ a: AuthorizationAttributes) -> Decision {
        if a.user.isPrivileged { return Decision(allowed: true, reason: "") }
        var errors: [String] = []
        var allowedBy: String?
        visitRules(for: a.user, namespace: a.namespace ?? "") { source, rule, error in
            if let rule, let source, rule.allows(a) {
                allowedBy = "RBAC: allowed by \(source)"
                return false
            }
            if let error { errors.append(error) }
            return true
        }
        if let allowedBy { return Decision(allowed: true, reason: allowedBy) }
        return Decision(allowed: false, reason: errors.isEmpty ? "" : "RBAC: " + Self.aggregate(errors))
    }

    /// Every rule that applies to `user` in `namespace` (cluster-wide rules included), and the
    /// resolution errors met on the way (`RulesFor`).
    func rules(for user: UserInfo, namespace: String) -> (rules: [PolicyRule], errors: [String]) {
        var rules: [PolicyRule] = []
        var errors: [String] = []
        visitRules(for: user, namespace: namespace) { _, rule, error in
            if let rule { rules.append(rule) }
            if let error { errors.append(error) }
            return true
        }
        return (rules, errors)
    }

    /// The rules a binding's `roleRef` grants, or the "not found" error.
    func roleReferenceRules(_ roleRef: JSONValue?, bindingNamespace: String) -> Result<[PolicyRule], RBACError> {
        let kind = roleRef?["kind"]?.stringValue ?? ""
        let name = roleRef?["name"]?.stringValue ?? ""
        switch kind {
        case "Role":
            guard let role = roles["\(bindingNamespace)/\(name)"] else {
                return .failure(RBACError("\(pluralNotFound ? "roles" : "role").rbac.authorization.k8s.io \(GoQuote.quote(name)) not found"))
            }
            return .success(PolicyRule.rules(of: role))
        case "ClusterRole":
            guard let role = clusterRoles[name] else {
                return .failure(RBACError("\(pluralNotFound ? "clusterroles" : "clusterrole").rbac.authorization.k8s.io \(GoQuote.quote(name)) not found"))
            }
            return .success(PolicyRule.rules(of: role))
        default:
            return .failure(RBACError("unsupported role reference kind: \(GoQuote.quote(kind))"))
        }
    }

    private func visitRules(for user: UserInfo, namespace: String,
                            _ visitor: (_ source: String?, _ rule: PolicyRule?, _ error: String?) -> Bool) {
        for (_, binding) in clusterRoleBindings.sorted(by: { $0.key < $1.key }) {
            guard let subject = Self.appliesTo(user, binding, namespace: "") else { continue }
            switch roleReferenceRules(binding["roleRef"], bindingNamespace: "") {
            case .failure(let e):
                if !visitor(nil, nil, e.message) { return }
            case .success(let rules):
                let source = Self.describe(binding, subject: subject, namespaced: false)
                for r in rules where !visitor(source, r, nil) { return }
            }
        }
        guard !namespace.isEmpty else { return }
        let prefix = namespace + "/"
        for (key, binding) in roleBindings.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            guard let subject = Self.appliesTo(user, binding, namespace: namespace) else { continue }
            switch roleReferenceRules(binding["roleRef"], bindingNamespace: namespace) {
            case .failure(let e):
                if !visitor(nil, nil, e.message) { return }
            case .success(let rules):
                let source = Self.describe(binding, subject: subject, namespaced: true)
                for r in rules where !visitor(source, r, nil) { return }
            }
        }
    }

    /// The first subject of `binding` that names `user` (`appliesTo`).
    static func appliesTo(_ user: UserInfo, _ binding: JSONValue, namespace: String) -> JSONValue? {
        for s in binding["subjects"]?.arrayValue ?? [] {
            let name = s["name"]?.stringValue ?? ""
            switch s["kind"]?.stringValue {
            case "User"?: if user.name == name { return s }
            case "Group"?: if user.groups.contains(name) { return s }
            case "ServiceAccount"?:
                let ns = (s["namespace"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? namespace
                if !ns.isEmpty, user.name == UserInfo.serviceAccountName(namespace: ns, name: name) { return s }
            default: break
            }
        }
        return nil
    }

    /// `ClusterRoleBinding "crb" of ClusterRole "x" to Group "g"` / `RoleBinding "rb/ns" of … to ServiceAccount "sa/ns"`.
    static func describe(_ binding: JSONValue, subject: JSONValue, namespaced: Bool) -> String {
        let name = binding[path: ["metadata", "name"]]?.stringValue ?? ""
        let ns = binding[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let kind = binding[path: ["roleRef", "kind"]]?.stringValue ?? ""
        let role = binding[path: ["roleRef", "name"]]?.stringValue ?? ""
        let sKind = subject["kind"]?.stringValue ?? ""
        var sName = subject["name"]?.stringValue ?? ""
        if sKind == "ServiceAccount" {
            let sNS = (subject["namespace"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? ns
            sName += "/" + sNS
        }
        let bindingName = namespaced ? "\(name)/\(ns)" : name
        return "\(namespaced ? "RoleBinding" : "ClusterRoleBinding") \(GoQuote.quote(bindingName)) of \(kind) \(GoQuote.quote(role)) to \(sKind) \(GoQuote.quote(sName))"
    }

    /// `utilerrors.NewAggregate(errs).Error()`: one message, or `[a, b]` (duplicates dropped).
    static func aggregate(_ errors: [String]) -> String {
        var seen: Set<String> = []
        let unique = errors.filter { seen.insert($0).inserted }
        return unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
    }
}

/// A rule-resolution error (a binding to a role that does not exist).
struct RBACError: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }
}

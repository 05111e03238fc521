import KubeAPI

/// RBAC's privilege-escalation prevention (`pkg/registry/rbac/*/policybased`): a user may create
/// or change a Role/ClusterRole only with rules they already hold (unless they may `escalate` it),
/// and a RoleBinding/ClusterRoleBinding only to a role whose rules they hold (unless they may
/// `bind` it). `system:masters` is exempt. Changes that only touch ownerReferences/finalizers
/// pass. The refusal is the real 403 (`… is attempting to grant RBAC permissions not currently
/// held:` followed by the missing rules).
extension AccessControl {
    static let fullAuthority = [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                                PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]

    func checkEscalation(_ request: APIRequest, _ info: RequestInfo, user: UserInfo, handler: APIHandler) throws(APIError) {
        let group = "rbac.authorization.k8s.io"
        guard ["roles", "clusterroles", "rolebindings", "clusterrolebindings"].contains(info.resource),
              let type = store.resourceType(group: group, version: info.version, plural: info.resource) else { return }
        let ns = type.namespaced ? (info.namespace ?? "") : ""
        var old: JSONValue?
        if let name = info.name { old = try? store.get(type, namespace: type.namespaced ? ns : nil, name: name) }
        let new: JSONValue
        switch info.verb {
        case "patch":
            guard let name = info.name, old != nil else { return }
            let contentType = request.contentType.split(separator: ";").first.map { String($0).trimmingSpaces() } ?? ""
            guard let patchType = PatchType(rawValue: contentType), let body = try? handler.parseBody(request) else { return }
            var options = WriteOptions()
            options.dryRun = true
            guard let r = try? store.patch(type, namespace: type.namespaced ? ns : nil, name: name,
                                           patch: PatchRequest(type: patchType, body: body, force: request.query["force"] == "true"),
                                           options: options) else { return }
            new = r.object
        default:
            new = try handler.parseBody(request)
        }
        if let old, Self.onlyGCFieldsChange(new, old) { return }
        let name = new[path: ["metadata", "name"]]?.stringValue ?? info.name ?? ""
        let authorizer = rbac()
        if info.resource == "roles" || info.resource == "clusterroles" {
            let escalate = AuthorizationAttributes(user: user, verb: "escalate", group: group, resource: info.resource,
                                                   namespace: ns, name: info.name)
            if authorizer.authorize(escalate).allowed { return }
            if let why = confirmNoEscalation(user, namespace: ns, rules: PolicyRule.rules(of: new)) {
                throw AuthorizationAttributes.forbidden(group: group, resource: info.resource, name: name, message: why)
            }
            if info.resource == "clusterroles", new["aggregationRule"].map({ !$0.isNull }) == true,
               confirmNoEscalation(user, namespace: "", rules: Self.fullAuthority) != nil {
                throw AuthorizationAttributes.forbidden(group: group, resource: info.resource, name: name,
                                                        message: "must have cluster-admin privileges to use the aggregationRule")
            }
            return
        }
        let roleRef = new["roleRef"]
        let refKind = roleRef?["kind"]?.stringValue ?? ""
        let bind = AuthorizationAttributes(user: user, verb: "bind", group: roleRef?["apiGroup"]?.stringValue ?? "",
                                           resource: refKind == "Role" ? "roles" : "clusterroles", namespace: ns,
                                           name: roleRef?["name"]?.stringValue)
        if refKind == "Role" || refKind == "ClusterRole", authorizer.authorize(bind).allowed { return }
        var registry = authorizer
        registry.pluralNotFound = true
        switch registry.roleReferenceRules(roleRef, bindingNamespace: ns) {
        case .failure(let e):
            throw AuthorizationAttributes.forbidden(group: group, resource: info.resource, name: name, message: e.message)
        case .success(let rules):
            if let why = confirmNoEscalation(user, namespace: ns, rules: rules) {
                throw AuthorizationAttributes.forbidden(group: group, resource: info.resource, name: name, message: why)
            }
        }
    }

    /// nil when `user` holds every rule of `rules` in `namespace`; else the real refusal text.
    func confirmNoEscalation(_ user: UserInfo, namespace: String, rules: [PolicyRule]) -> String? {
        var resolver = rbac()
        resolver.pluralNotFound = true
        let (owned, errors) = resolver.rules(for: user, namespace: namespace)
        let missing = PolicyRule.uncovered(owner: owned, servant: rules)
        guard !missing.isEmpty else { return nil }
        let lines = Set(PolicyRule.compact(missing).map(\.compactString)).sorted()
        var msg = "user \(GoQuote.quote(user.name)) (groups=\(GoQuote.list(user.groups))) is attempting to grant RBAC permissions not currently held:\n"
            + lines.joined(separator: "\n")
        if !errors.isEmpty { msg += "; resolution errors: [\(RBACAuthorizer.aggregate(errors))]" }
        return msg
    }

    /// `IsOnlyMutatingGCFields`: equal once ownerReferences, finalizers and server-set metadata are ignored.
    static func onlyGCFieldsChange(_ new: JSONValue, _ old: JSONValue) -> Bool {
        func strip(_ o: JSONValue) -> JSONValue {
            var o = o
            for k in ["ownerReferences", "finalizers", "managedFields", "resourceVersion", "uid", "creationTimestamp",
                      "generation", "selfLink", "namespace"] { o.set(path: ["metadata", k], to: nil) }
            o["apiVersion"] = nil
            o["kind"] = nil
            for k in ["labels", "annotations"] where o[path: ["metadata", k]]?.objectValue?.isEmpty == true {
                o.set(path: ["metadata", k], to: nil)
            }
            return o
        }
        return strip(new) == strip(old)
    }
}

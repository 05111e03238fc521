import KubeAPI

/// SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview and
/// SelfSubjectRulesReview, answered from the same authorizer as every request
/// (`pkg/registry/authorization/*`): validation errors as the real 422/400, the decision and its
/// reason in `status`. `metadata` is `{}`: 1.35 omits the zero `creationTimestamp` (omitzero).
extension AccessControl {
    func review(_ info: RequestInfo, body: JSONValue, user: UserInfo) throws(APIError) -> APIResponse {
        let kind: String
        switch info.resource {
        case "subjectaccessreviews": kind = "SubjectAccessReview"
        case "selfsubjectaccessreviews": kind = "SelfSubjectAccessReview"
        case "localsubjectaccessreviews": kind = "LocalSubjectAccessReview"
        default: return try rulesReview(info, body: body, user: user)
        }
        let type = ResourceType(group: "authorization.k8s.io", version: info.version, plural: info.resource, kind: kind,
                                namespaced: kind == "LocalSubjectAccessReview")
        let spec = body["spec"] ?? .null
        let resourceAttributes = spec["resourceAttributes"].flatMap { $0.isNull ? nil : $0 }
        let nonResourceAttributes = spec["nonResourceAttributes"].flatMap { $0.isNull ? nil : $0 }
        var causes: [FieldError] = []
        if let n = nonResourceAttributes, resourceAttributes != nil {
            causes.append(.invalid("spec.nonResourceAttributes", .string(n.jsonString()),
                                   "cannot be specified in combination with resourceAttributes"))
        }
        if resourceAttributes == nil && nonResourceAttributes == nil {
            causes.append(.invalid("spec.resourceAttributes", .string("null"),
                                   "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
        }
        let specUser = spec["user"]?.stringValue ?? ""
        let specGroups = (spec["groups"]?.arrayValue ?? []).compactMap(\.stringValue)
        if kind != "SelfSubjectAccessReview", specUser.isEmpty, specGroups.isEmpty {
            causes.append(.invalid("spec.user", .string(""), "at least one of user or group must be specified"))
        }
        if kind == "LocalSubjectAccessReview", let n = nonResourceAttributes {
            causes.append(.invalid("spec.nonResourceAttributes", .string(n.jsonString()), "disallowed on this kind of request"))
        }
        if !causes.isEmpty { throw .invalid(type, name: "", causes: causes) }
        if kind == "LocalSubjectAccessReview" {
            let ns = info.namespace ?? ""
            if ns.isEmpty { throw .badRequest("namespace is required on this type: ") }
            if resourceAttributes?["namespace"]?.stringValue ?? "" != ns {
                throw .badRequest("spec.resourceAttributes.namespace must match namespace: \(ns)")
            }
        }
        let subject: UserInfo
        if kind == "SelfSubjectAccessReview" {
            subject = user
        } else {
            var extra: [String: [String]] = [:]
            for (k, v) in spec["extra"]?.objectValue ?? [:] { extra[k] = (v.arrayValue ?? []).compactMap(\.stringValue) }
            subject = UserInfo(name: specUser, uid: spec["uid"]?.stringValue ?? "", groups: specGroups, extra: extra)
        }
        let attributes: AuthorizationAttributes
        if let r = resourceAttributes {
            attributes = AuthorizationAttributes(user: subject, verb: r["verb"]?.stringValue ?? "", group: r["group"]?.stringValue ?? "",
                                                 resource: r["resource"]?.stringValue ?? "",
                                                 subresource: r["subresource"]?.stringValue,
                                                 namespace: r["namespace"]?.stringValue, name: r["name"]?.stringValue)
        } else {
            attributes = AuthorizationAttributes(user: subject, verb: nonResourceAttributes?["verb"]?.stringValue ?? "",
                                                 path: nonResourceAttributes?["path"]?.stringValue ?? "")
        }
        var status: JSONValue
        if let policy = store.state.withLock({ $0.accessPolicy }) {
            status = policy(body) ? ["allowed": true] : ["allowed": false, "reason": "denied by the test server policy"]
        } else {
            let d = enforcing ? rbac().authorize(attributes) : .init(allowed: true, reason: "")
            status = ["allowed": .bool(d.allowed)]
            if !d.reason.isEmpty { status["reason"] = .string(d.reason) }
        }
        var out = body
        out["apiVersion"] = .string(type.apiVersion)
        out["kind"] = .string(kind)
        var meta: JSONValue = [:]
        if kind == "LocalSubjectAccessReview", let ns = info.namespace { meta["namespace"] = .string(ns) }
        out["metadata"] = meta
        out["status"] = status
        return .json(201, out)
    }

    /// SelfSubjectRulesReview: the rules the requesting user holds in `spec.namespace`.
    private func rulesReview(_ info: RequestInfo, body: JSONValue, user: UserInfo) throws(APIError) -> APIResponse {
        let ns = body[path: ["spec", "namespace"]]?.stringValue ?? ""
        if ns.isEmpty { throw .badRequest("no namespace on request") }
        var resourceRules: [JSONValue] = []
        var nonResourceRules: [JSONValue] = []
        var errors: [String] = []
        let rules: [PolicyRule]
        if enforcing {
            (rules, errors) = rbac().rules(for: user, namespace: ns)
        } else {
            rules = [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]
        }
        for r in rules {
            if !r.resources.isEmpty {
                var o: JSONValue = ["verbs": .array(r.verbs.map(JSONValue.string))]
                if !r.apiGroups.isEmpty { o["apiGroups"] = .array(r.apiGroups.map(JSONValue.string)) }
                o["resources"] = .array(r.resources.map(JSONValue.string))
                if !r.resourceNames.isEmpty { o["resourceNames"] = .array(r.resourceNames.map(JSONValue.string)) }
                resourceRules.append(o)
            }
            if !r.nonResourceURLs.isEmpty {
                nonResourceRules.append(["verbs": .array(r.verbs.map(JSONValue.string)),
                                         "nonResourceURLs": .array(r.nonResourceURLs.map(JSONValue.string))])
            }
        }
        var status: JSONValue = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules),
                                 "incomplete": false]
        if !errors.isEmpty { status["evaluationError"] = .string(RBACAuthorizer.aggregate(errors)) }
        return .json(201, ["kind": "SelfSubjectRulesReview", "apiVersion": .string("authorization.k8s.io/\(info.version)"),
                           "metadata": [:], "spec": [:], "status": status])
    }
}

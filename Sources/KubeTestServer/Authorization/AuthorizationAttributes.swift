import KubeAPI

/// What is being asked for (`authorizer.Attributes`): who, which verb, on which resource or path.
struct AuthorizationAttributes: Sendable, Hashable {
    var user: UserInfo
    var verb: String
    var isResourceRequest: Bool
    var group = ""
    var resource = ""
    var subresource: String?
    var namespace: String?
    var name: String?
    /// The request path, for non-resource requests.
    var path = ""

    /// The attributes the apiserver derives from a request (`RequestInfoFactory`): a namespace's own
    /// name is its namespace, and a list/watch with `fieldSelector=metadata.name=X` names `X`.
    init(user: UserInfo, info: RequestInfo, query: [String: String]) {
        self.user = user
        verb = info.verb
        isResourceRequest = info.isResourceRequest
        path = info.path
        guard info.isResourceRequest else { return }
        group = info.group
        resource = info.resource
        subresource = info.subresource
        namespace = info.namespace
        name = info.name
        if resource == "namespaces", let n = info.name { namespace = n }
        if name == nil, verb == "list" || verb == "watch", let fs = query["fieldSelector"] {
            for term in fs.split(separator: ",") {
                let t = term.replacingOccurrences(of: "==", with: "=")
                if t.hasPrefix("metadata.name="), !t.contains("!=") {
                    let value = String(t.dropFirst("metadata.name=".count))
                    if !value.isEmpty, !value.contains("/"), value != ".", value != ".." { name = value }
                }
            }
        }
    }

    init(user: UserInfo, verb: String, group: String, resource: String, subresource: String? = nil,
         namespace: String? = nil, name: String? = nil) {
        self.user = user
        self.verb = verb
        self.isResourceRequest = true
        self.group = group
        self.resource = resource
        self.subresource = subresource.flatMap { $0.isEmpty ? nil : $0 }
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name.flatMap { $0.isEmpty ? nil : $0 }
    }

    init(user: UserInfo, verb: String, path: String) {
        self.user = user
        self.verb = verb
        self.isResourceRequest = false
        self.path = path
    }

    /// The 403 a denied request gets (`responsewriters.ForbiddenStatusError`).
    func forbidden(reason: String) -> APIError {
        var msg: String
        if !isResourceRequest {
            msg = "User \(GoQuote.quote(user.name)) cannot \(verb) path \(GoQuote.quote(path))"
        } else {
            let r = subresource.map { "\(resource)/\($0)" } ?? resource
            let base = "User \(GoQuote.quote(user.name)) cannot \(verb) resource \(GoQuote.quote(r)) in API group \(GoQuote.quote(group))"
            if let ns = namespace { msg = base + " in the namespace \(GoQuote.quote(ns))" } else { msg = base + " at the cluster scope" }
        }
        if !reason.isEmpty { msg += ": " + reason }
        return Self.forbidden(group: isResourceRequest ? group : "", resource: isResourceRequest ? resource : "",
                              name: name ?? "", message: msg)
    }

    /// `apierrors.NewForbidden(groupResource, name, err)`.
    static func forbidden(group: String, resource: String, name: String, message: String) -> APIError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        let text: String
        if qualified.isEmpty {
            text = "forbidden: \(message)"
        } else if name.isEmpty {
            text = "\(qualified) is forbidden: \(message)"
        } else {
            text = "\(qualified) \(GoQuote.quote(name)) is forbidden: \(message)"
        }
        var details: [String: JSONValue] = [:]
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        if !resource.isEmpty { details["kind"] = .string(resource) }
        return APIError(code: 403, reason: "Forbidden", message: text, details: .object(details))
    }
}

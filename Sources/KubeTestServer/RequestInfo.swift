/// What a request addresses, parsed from method, path and query like the apiserver's
/// `RequestInfoFactory`: the Kubernetes verb, group/version/resource, namespace, name, subresource.
public struct RequestInfo: Sendable, Hashable {
    public var method: String
    public var path: String
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`;
    /// for non-resource paths the lower-cased HTTP method.
    public var verb: String
    public var isResourceRequest = false
    public var group = ""
    public var version = ""
    /// The plural resource name (`pods`, `agentruns`); empty for non-resource paths.
    public var resource = ""
    public var subresource: String?
    public var namespace: String?
    public var name: String?

    /// `plural` or `plural.group`, the spelling used by the request log and fault rules.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }

    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    init(method: String, path: String, query: [String: String]) {
        self.method = method
        self.path = path
        self.verb = method.lowercased()
        var parts = path.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return }
        parts.removeFirst()
        if prefix == "api" {
            guard parts.count >= 1 else { return }
            version = parts.removeFirst()
        } else {
            guard parts.count >= 2 else { return }
            group = parts.removeFirst()
            version = parts.removeFirst()
        }
        guard !parts.isEmpty else { return }
        // The legacy `/api/v1/watch/…` prefix (deprecated, still served): a watch of what follows.
        var legacyWatch = false
        if parts[0] == "watch", parts.count > 1 {
            legacyWatch = true
            parts.removeFirst()
        }
        if parts[0] == "namespaces", parts.count > 1 {
            namespace = parts[1]
            if parts.count > 2 && !Self.namespaceSubresources.contains(parts[2]) {
                parts.removeFirst(2)
            }
        }
        isResourceRequest = true
        resource = parts[0]
        if parts.count > 1 { name = parts[1] }
        if parts.count > 2 { subresource = parts[2...].joined(separator: "/") }
        if resource == "namespaces" { namespace = nil }
        let watch = legacyWatch || query["watch"] == "true" || query["watch"] == "1"
        switch method {
        case "GET", "HEAD": verb = name == nil ? (watch ? "watch" : "list") : (watch ? "watch" : "get")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = method.lowercased()
        }
    }
}

import KubeAPI

/// What happens before a request reaches a resource handler in kube-apiserver:
/// - a path no handler is registered for (an unknown group or version, an unknown top-level path)
///   gets Go's plain-text `404 page not found` from the mux, not a `Status`;
/// - an `Accept` header none of whose media ranges the API serves is `406 NotAcceptable`.
enum Negotiation {
    static var pageNotFound: APIResponse {
        .full(code: 404, headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
              body: Array("404 page not found\n".utf8))
    }

    static let servedMediaTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    /// `406` when no media range of `accept` matches a served type (an empty header accepts anything).
    static func checkAcceptable(_ accept: String) throws(APIError) {
        let ranges = accept.split(separator: ",").map { $0.split(separator: ";").first.map { String($0).trimmingSpaces().lowercased() } ?? "" }
        if ranges.isEmpty || ranges.contains(where: { $0.isEmpty }) { return }
        for range in ranges {
            if range == "*/*" || range == "application/*" { return }
            if servedMediaTypes.contains(range) { return }
        }
        throw APIError(code: 406, reason: "NotAcceptable",
                       message: "only the following media types are accepted: \(servedMediaTypes.joined(separator: ", "))")
    }

    /// Whether a non-resource path has a handler (discovery, version, health, OpenAPI, …).
    static func hasHandler(_ path: String, store: Store) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first else { return true }
        switch first {
        case "api": return parts.count < 2 || parts[1] == "v1"
        case "apis":
            guard parts.count >= 2 else { return true }
            guard let group = store.groups().first(where: { $0.name == parts[1] }) else { return false }
            return parts.count < 3 || group.versions.contains(parts[2])
        case "version", "healthz", "readyz", "livez", "openapi", "metrics", ".well-known": return true
        default: return false
        }
    }

    /// Whether the group/version of a resource request is served at all.
    static func servesGroupVersion(_ info: RequestInfo, store: Store) -> Bool {
        if info.group.isEmpty { return info.version == "v1" }
        return store.servesGroupVersion(group: info.group, version: info.version)
    }
}

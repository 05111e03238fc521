import KubeAPI

/// The non-resource endpoints: `/version`, legacy discovery (`/api`, `/api/v1`, `/apis`,
/// `/apis/{g}`, `/apis/{g}/{v}`), `/openapi/v3` and health checks.
///
/// Aggregated discovery (`Accept: ...;g=apidiscovery.k8s.io;v=v2`) is answered with the plain
/// `application/json` documents: client-go sees the content type and falls back to legacy discovery.
struct Discovery {
    let store: Store
    let serverAddress: String

    func handle(_ request: APIRequest) throws(APIError) -> APIResponse {
        guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed() }
        let parts = request.path.split(separator: "/").map(String.init)
        switch parts.first {
        case "version"? where parts.count == 1:
            return .json(200, ["major": "1", "minor": "35", "emulationMajor": "1", "emulationMinor": "35",
                               "minCompatibilityMajor": "1", "minCompatibilityMinor": "34",
                               "gitVersion": "v1.35.0", "gitCommit": "codex-k8s-test-server", "gitTreeState": "clean",
                               "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25", "compiler": "gc",
                               "platform": "linux/amd64"])
        case "healthz"?, "readyz"?, "livez"?:
            return .full(code: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("ok".utf8))
        case "api"? where parts.count == 1:
            return .json(200, ["kind": "APIVersions", "versions": ["v1"],
                               "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]])
        case "api"? where parts.count == 2 && parts[1] == "v1":
            return .json(200, resourceList(group: "", version: "v1"))
        case "apis"? where parts.count == 1:
            return .json(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(store.groups().map(groupJSON))])
        case "apis"? where parts.count == 2:
            guard let g = store.groups().first(where: { $0.name == parts[1] }) else { throw .notFoundPath() }
            var doc = groupJSON(g)
            doc["kind"] = "APIGroup"
            doc["apiVersion"] = "v1"
            return .json(200, doc)
        case "apis"? where parts.count == 3:
            guard store.groups().contains(where: { $0.name == parts[1] && $0.versions.contains(parts[2]) }) else {
                throw .notFoundPath()
            }
            return .json(200, resourceList(group: parts[1], version: parts[2]))
        case "openapi"?:
            return try OpenAPIDocuments(store: store).handle(parts)
        default:
            throw .notFoundPath()
        }
    }

    func groupJSON(_ g: (name: String, versions: [String])) -> JSONValue {
        let versions: [JSONValue] = g.versions.map { ["groupVersion": .string("\(g.name)/\($0)"), "version": .string($0)] }
        return ["name": .string(g.name), "versions": .array(versions), "preferredVersion": versions[0]]
    }

    func resourceList(group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for t in store.registeredTypes where t.group == group && t.version == version {
            var r: JSONValue = ["name": .string(t.plural), "singularName": .string(t.singular),
                                "namespaced": .bool(t.namespaced), "kind": .string(t.kind),
                                "verbs": .array(t.verbs.map(JSONValue.string))]
            if !t.shortNames.isEmpty { r["shortNames"] = .array(t.shortNames.map(JSONValue.string)) }
            if !t.categories.isEmpty { r["categories"] = .array(t.categories.map(JSONValue.string)) }
            resources.append(r)
            for sub in t.subresources {
                let verbs: [JSONValue] = sub == "finalize" ? ["update"] : sub == "log" ? ["get"]
                    : sub == "eviction" ? ["create"] : ["get", "patch", "update"]
                resources.append(["name": .string("\(t.plural)/\(sub)"), "singularName": "",
                                  "namespaced": .bool(t.namespaced), "kind": .string(t.kind), "verbs": .array(verbs)])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources)]
    }
}

extension Store {
    /// Named groups in registration order, each with its served versions (preferred first).
    func groups() -> [(name: String, versions: [String])] {
        state.withLock { $0.registry.groups }
    }
}

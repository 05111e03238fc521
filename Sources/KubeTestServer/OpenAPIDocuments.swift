import KubeAPI

/// The OpenAPI surface: `/openapi/v3` (the group-version index), one v3 document per
/// group-version, and the single `/openapi/v2` (Swagger 2.0) document. Each lists the resources'
/// paths (with `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter kubectl
/// looks for) and the schemas of their kinds from `OpenAPISchemas`, enough for `kubectl explain`
/// and kubectl's strategic-merge patch computation.
struct OpenAPIDocuments {
    let store: Store

    func handle(_ parts: [String]) throws(APIError) -> APIResponse {
        let types = store.registeredTypes
        if parts.count == 2, parts[1] == "v2" { return .json(200, swagger(types)) }
        guard parts.count >= 2, parts[1] == "v3" else { throw .notFoundPath() }
        var gvs: [String: [ResourceType]] = [:]
        for t in types { gvs[t.group.isEmpty ? "api/\(t.version)" : "apis/\(t.group)/\(t.version)", default: []].append(t) }
        if parts.count == 2 {
            var paths: [String: JSONValue] = [:]
            for (gv, ts) in gvs {
                paths[gv] = ["serverRelativeURL": .string("/openapi/v3/\(gv)?hash=\(Self.hash(ts))")]
            }
            return .json(200, ["paths": .object(paths)])
        }
        let gv = parts[2...].joined(separator: "/")
        guard let ts = gvs[gv] else { throw .notFoundPath() }
        return .json(200, document(ts))
    }

    func document(_ types: [ResourceType]) -> JSONValue {
        ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.35.0"],
         "paths": .object(paths(types, flavor: .v3)),
         "components": ["schemas": .object(OpenAPISchemas(flavor: .v3).schemas(for: types))]]
    }

    func swagger(_ types: [ResourceType]) -> JSONValue {
        ["swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.35.0"],
         "paths": .object(paths(types, flavor: .v2)),
         "definitions": .object(OpenAPISchemas(flavor: .v2).schemas(for: types))]
    }

    private func paths(_ types: [ResourceType], flavor: OpenAPISchemas.Flavor) -> [String: JSONValue] {
        var paths: [String: JSONValue] = [:]
        for t in types {
            let gvk: JSONValue = ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)]
            let params: JSONValue = flavor == .v3 ? [
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ] : [
                ["name": "fieldValidation", "in": "query", "type": "string", "uniqueItems": true],
                ["name": "fieldManager", "in": "query", "type": "string", "uniqueItems": true],
                ["name": "dryRun", "in": "query", "type": "string", "uniqueItems": true],
            ]
            func op(_ action: String) -> JSONValue {
                ["x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": .string(action),
                 "parameters": params, "responses": ["200": ["description": "OK"]]]
            }
            let base = t.group.isEmpty ? "/api/\(t.version)" : "/apis/\(t.group)/\(t.version)"
            let collection = t.namespaced ? "\(base)/namespaces/{namespace}/\(t.plural)" : "\(base)/\(t.plural)"
            paths[collection] = ["get": op("list"), "post": op("post")]
            paths["\(collection)/{name}"] = ["get": op("get"), "put": op("put"), "patch": op("patch"), "delete": op("delete")]
            for sub in t.subresources {
                paths["\(collection)/{name}/\(sub)"] = ["get": op("get"), "put": op("put"), "patch": op("patch")]
            }
        }
        return paths
    }

    /// A stable cache key for a group-version's document: the served types and CRD schemas (the
    /// built-in schemas are fixed for a build).
    static func hash(_ types: [ResourceType]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for t in types {
            let key: JSONValue = [.string(t.storageKey), .string(t.kind), .bool(t.namespaced),
                                  .array(t.subresources.map(JSONValue.string)), t.schema ?? .null]
            for b in key.serialized(sortedKeys: true) { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return String(h, radix: 16, uppercase: true)
    }
}

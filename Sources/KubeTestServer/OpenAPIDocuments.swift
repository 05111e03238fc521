import KubeAPI

/// A minimal OpenAPI v3 surface: `/openapi/v3` (the group-version index) and one document per
/// group-version listing each resource's paths with `x-kubernetes-group-version-kind` and the
/// `fieldValidation` query parameter on PATCH.
///
/// That is what kubectl needs: its field-validation check finds the parameter and leaves
/// validation to the server (`fieldValidation=Strict`), and its strategic-merge code, finding no
/// component schemas, falls back to its compiled-in types. `/openapi/v2` is not served (404).
struct OpenAPIDocuments {
    let store: Store

    func handle(_ parts: [String]) throws(APIError) -> APIResponse {
        guard parts.count >= 2, parts[1] == "v3" else { throw .notFoundPath() }
        let types = store.registeredTypes
        var gvs: [String: [ResourceType]] = [:]
        for t in types { gvs[t.group.isEmpty ? "api/\(t.version)" : "apis/\(t.group)/\(t.version)", default: []].append(t) }
        if parts.count == 2 {
            var paths: [String: JSONValue] = [:]
            for (gv, ts) in gvs {
                paths[gv] = ["serverRelativeURL": .string("/openapi/v3/\(gv)?hash=\(Self.hash(document(ts).serialized(sortedKeys: true)))")]
            }
            return .json(200, ["paths": .object(paths)])
        }
        let gv = parts[2...].joined(separator: "/")
        guard let ts = gvs[gv] else { throw .notFoundPath() }
        return .json(200, document(ts))
    }

    func document(_ types: [ResourceType]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for t in types {
            let gvk: JSONValue = ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)]
            let params: JSONValue = [
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
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
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.35.0"],
                "paths": .object(paths), "components": ["schemas": [:]]]
    }

    /// FNV-1a, hex: a stable cache key for clients.
    static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16, uppercase: true)
    }
}

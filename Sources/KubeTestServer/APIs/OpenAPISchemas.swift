import KubeAPI

/// OpenAPI schemas of served kinds, as kube-apiserver publishes them: built-ins from
/// `BuiltinSchemas` (names like `io.k8s.api.core.v1.PodSpec`, descriptions, list-type and
/// patch-strategy extensions), custom resources from their CRD's `openAPIV3Schema` (named
/// `com.example.v1.Widget`). Root kinds carry `x-kubernetes-group-version-kind`, which is how
/// `kubectl explain` finds them.
struct OpenAPISchemas {
    enum Flavor { case v2, v3 }
    let flavor: Flavor
    let table = BuiltinSchemas.shared

    var refPrefix: String { flavor == .v3 ? "#/components/schemas/" : "#/definitions/" }

    /// Schemas for `types` and everything they reference, by name.
    func schemas(for types: [ResourceType]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        var queue: [String] = []
        var gvks: [String: [JSONValue]] = [:]
        for t in types {
            let gvk: JSONValue = ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)]
            if let schema = t.schema {
                out[Self.customName(t)] = customSchema(t, schema, gvk)
                queue.append("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
            } else if let root = table.rootMessage(group: t.group, version: t.version, kind: t.kind) {
                gvks[root, default: []].append(gvk)
                queue.append(root)
            }
        }
        var seen: Set<String> = []
        while let name = queue.popLast() {
            guard seen.insert(name).inserted, let message = table.message(name) else { continue }
            out[name] = schema(message, gvks: gvks[name], references: &queue)
        }
        return out
    }

    /// `example.com` + `v1` + `Widget` → `com.example.v1.Widget`.
    static func customName(_ t: ResourceType) -> String {
        (t.group.split(separator: ".").reversed().map(String.init) + [t.version, t.kind]).joined(separator: ".")
    }

    private func customSchema(_ t: ResourceType, _ schema: JSONValue, _ gvk: JSONValue) -> JSONValue {
        var s = schema
        s["x-kubernetes-group-version-kind"] = [gvk]
        s.set(path: ["properties", "apiVersion"], to: [
            "type": "string",
            "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"])
        s.set(path: ["properties", "kind"], to: [
            "type": "string",
            "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"])
        s.set(path: ["properties", "metadata"], to: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                                                         description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"))
        if s["type"] == nil { s["type"] = "object" }
        return s
    }

    private func schema(_ m: BuiltinSchemas.Message, gvks: [JSONValue]?, references: inout [String]) -> JSONValue {
        var s: JSONValue
        switch m.name {
        case "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime":
            s = ["type": "string", "format": "date-time"]
        case "io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.apis.meta.v1.Duration":
            s = ["type": "string"]
        case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            s = ["type": "string", "format": "int-or-string"]
        case "io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1":
            s = ["type": "object"]
        default:
            if m.fields.isEmpty {
                s = ["x-kubernetes-preserve-unknown-fields": true]
            } else {
                var properties: [String: JSONValue] = [:]
                for (name, f) in m.byName { properties[name] = property(f, references: &references) }
                s = ["type": "object", "properties": .object(properties)]
            }
        }
        if !m.description.isEmpty { s["description"] = .string(m.description) }
        if let gvks { s["x-kubernetes-group-version-kind"] = .array(gvks) }
        return s
    }

    private func property(_ f: BuiltinSchemas.Field, references: inout [String]) -> JSONValue {
        var element: JSONValue
        switch f.type {
        case "string": element = ["type": "string"]
        case "bytes": element = ["type": "string", "format": "byte"]
        case "bool": element = ["type": "boolean"]
        case "int32", "int64": element = ["type": "integer", "format": .string(f.type)]
        case "double", "float": element = ["type": "number", "format": "double"]
        default:
            references.append(f.type)
            element = table.message(f.type) == nil ? ["x-kubernetes-preserve-unknown-fields": true] : ref(f.type, description: nil)
        }
        var p: JSONValue
        if f.repeated {
            p = ["type": "array", "items": element]
            if let t = f.listType { p["x-kubernetes-list-type"] = .string(t) }
            if !f.listMapKeys.isEmpty { p["x-kubernetes-list-map-keys"] = .array(f.listMapKeys.map(JSONValue.string)) }
        } else if f.isMap {
            p = ["type": "object", "additionalProperties": element]
        } else {
            p = element
        }
        if let k = f.patchMergeKey { p["x-kubernetes-patch-merge-key"] = .string(k) }
        if let s = f.patchStrategy { p["x-kubernetes-patch-strategy"] = .string(s) }
        if !f.description.isEmpty { p["description"] = .string(f.description) }
        return p
    }

    private func ref(_ name: String, description: String?) -> JSONValue {
        var r: JSONValue = flavor == .v3 ? ["allOf": [["$ref": .string(refPrefix + name)]]] : ["$ref": .string(refPrefix + name)]
        if let description { r["description"] = .string(description) }
        return r
    }
}

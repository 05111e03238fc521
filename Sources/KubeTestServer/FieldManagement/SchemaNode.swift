import KubeAPI

/// The shape of one value in an object, as field management and field validation need it: which
/// fields a struct knows, which values are maps, and how a list is identified (`atomic`, `set`, or
/// `map` keyed by `x-kubernetes-list-map-keys`).
///
/// Built-ins are described by `BuiltinSchemas` (a list with `patchStrategy: merge` and a merge key
/// counts as a map-list, as structured-merge-diff's schema conversion does); custom resources by
/// their CRD's `openAPIV3Schema`. Anything else is `.open`: a free-form value (deduced, like
/// structured-merge-diff does without a schema: maps everywhere, lists atomic).
indirect enum SchemaNode: Sendable {
    case message(String)
    case builtinList(BuiltinSchemas.Field)
    case builtinMap(BuiltinSchemas.Field)
    case crd(JSONValue)
    case crdRoot(JSONValue)
    case scalar
    case open

    /// The node of a served kind's objects (`.open` when there is no schema).
    static func root(for type: ResourceType) -> SchemaNode {
        if let schema = type.schema { return .crdRoot(schema) }
        if let name = BuiltinSchemas.shared.rootMessage(group: type.group, version: type.version, kind: type.kind) {
            return .message(name)
        }
        return .open
    }

    private static func node(of field: BuiltinSchemas.Field) -> SchemaNode {
        if field.repeated { return .builtinList(field) }
        if field.isMap { return .builtinMap(field) }
        return element(field.type)
    }

    private static func element(_ type: String) -> SchemaNode {
        switch type {
        case "string", "int32", "int64", "bool", "bytes", "double", "float": return .scalar
        case "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
             "io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
             "io.k8s.apimachinery.pkg.apis.meta.v1.Duration":
            return .scalar
        default:
            return BuiltinSchemas.shared.isStructured(type) ? .message(type) : .open
        }
    }

    /// Whether this is a struct that declares its fields (a built-in message, or a CRD object schema
    /// with `properties`, no `additionalProperties` and no `x-kubernetes-preserve-unknown-fields`);
    /// false for maps, free-form values and non-objects, whose members are all accepted.
    var declaresFields: Bool {
        switch self {
        case .message: return true
        case .crd(let s), .crdRoot(let s):
            return !Self.preservesUnknown(s) && s["properties"]?.objectValue != nil
                && (s["additionalProperties"] == nil || s["additionalProperties"] == .bool(false))
        default: return false
        }
    }

    /// Whether this struct declares field `name` (a CRD root also `apiVersion`, `kind` and
    /// `metadata`); false when it does not declare its fields.
    func declares(_ name: String) -> Bool {
        switch self {
        case .message(let m): return BuiltinSchemas.shared.message(m)?.byName[name] != nil
        case .crd(let s), .crdRoot(let s):
            guard declaresFields else { return false }
            if case .crdRoot = self, name == "apiVersion" || name == "kind" || name == "metadata" { return true }
            return s["properties"]?[name] != nil
        default: return false
        }
    }

    /// Whether this value is a map (its keys are data, not schema fields): `.` members in fieldsV1.
    var isMap: Bool {
        switch self {
        case .builtinMap, .open: return true
        case .crd(let s): return s["additionalProperties"] != nil && s["properties"] == nil
        default: return false
        }
    }

    /// The node of member `name` of this object.
    func property(_ name: String) -> SchemaNode {
        switch self {
        case .message(let m):
            guard let f = BuiltinSchemas.shared.message(m)?.byName[name] else { return .open }
            return Self.node(of: f)
        case .builtinMap(let f): return Self.element(f.type)
        case .crdRoot(let s):
            if name == "metadata" { return .message("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") }
            if name == "apiVersion" || name == "kind" { return .scalar }
            return SchemaNode.crd(s).property(name)
        case .crd(let s):
            if let p = s["properties"]?[name] { return .crd(p) }
            if case .object = s["additionalProperties"] ?? .null { return .crd(s["additionalProperties"]!) }
            return .open
        case .open: return .open
        default: return .open
        }
    }

    /// The node of this list's items.
    var items: SchemaNode {
        switch self {
        case .builtinList(let f): return Self.element(f.type)
        case .crd(let s): return s["items"].map { .crd($0) } ?? .open
        default: return .open
        }
    }

    /// `atomic`, `set` or `map` (with `listKeys`).
    var listType: String {
        switch self {
        case .builtinList(let f):
            if let t = f.listType { return t }
            if f.patchStrategy?.contains("merge") == true { return f.patchMergeKey != nil ? "map" : "set" }
            return "atomic"
        case .crd(let s): return s["x-kubernetes-list-type"]?.stringValue ?? "atomic"
        default: return "atomic"
        }
    }

    var listKeys: [String] {
        switch self {
        case .builtinList(let f): return f.listMapKeys.isEmpty ? f.patchMergeKey.map { [$0] } ?? [] : f.listMapKeys
        case .crd(let s): return (s["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        default: return []
        }
    }

    static func preservesUnknown(_ s: JSONValue) -> Bool {
        s["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
    }
}

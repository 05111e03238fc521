import KubeAPI

/// One step of a managed-field path, as structured-merge-diff names it: a struct or map field, a
/// map-list item by its keys, a set item by its value.
enum PathElement: Hashable, Sendable {
    case field(String)
    /// The key values of an item of a `map` list (`k:{"name":"a"}`), as an object.
    case key(JSONValue)
    /// An item of a `set` list (`v:"x"`).
    case value(JSONValue)

    /// `f:name`, `k:{...}`, `v:...` as in `fieldsV1`.
    var fieldsV1Key: String {
        switch self {
        case .field(let n): "f:" + n
        case .key(let k): "k:" + String(decoding: k.serialized(sortedKeys: true), as: UTF8.self)
        case .value(let v): "v:" + String(decoding: v.serialized(sortedKeys: true), as: UTF8.self)
        }
    }

    init?(fieldsV1Key k: String) {
        if k.hasPrefix("f:") { self = .field(String(k.dropFirst(2))); return }
        guard k.hasPrefix("k:") || k.hasPrefix("v:"), let v = try? JSONValue(parsing: String(k.dropFirst(2))) else { return nil }
        self = k.hasPrefix("k:") ? .key(v) : .value(v)
    }
}

/// A path from the object's root (`.spec.containers[name="a"].image` when printed).
typealias FieldPath = [PathElement]

enum FieldPaths {
    /// The apiserver's text form: `.data.k`, `.spec.containers[name="a"].image`, `.metadata.finalizers[="x"]`.
    static func text(_ path: FieldPath) -> String {
        var out = ""
        for e in path {
            switch e {
            case .field(let n): out += "." + n
            case .key(let k):
                let parts = (k.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.jsonString())" }
                out += "[" + parts.joined(separator: ",") + "]"
            case .value(let v): out += "[=\(v.jsonString())]"
            }
        }
        return out
    }

    /// The value at `path` in `object` (nil when absent).
    static func value(at path: FieldPath, in object: JSONValue) -> JSONValue? {
        var current = object
        for e in path {
            switch e {
            case .field(let n):
                guard let next = current[n] else { return nil }
                current = next
            case .key(let k):
                let keys = k.objectValue ?? [:]
                guard let item = current.arrayValue?.first(where: { item in keys.allSatisfy { item[$0.key] == $0.value } }) else {
                    return nil
                }
                current = item
            case .value(let v):
                guard current.arrayValue?.contains(v) == true else { return nil }
                current = v
            }
        }
        return current
    }

    /// `fieldsV1` for a set of paths (`.` marks a path that is itself a member and has children).
    static func encode(_ paths: Set<FieldPath>) -> JSONValue {
        encode(Array(paths), from: 0)
    }

    /// `fieldsV1` of the paths' elements from `depth` on (all paths share the elements before it).
    /// Groups the paths themselves instead of copying and re-hashing their tails at every level.
    private static func encode(_ paths: [FieldPath], from depth: Int) -> JSONValue {
        var children: [PathElement: [FieldPath]] = [:]
        var member = false
        for p in paths {
            guard depth < p.count else { member = true; continue }
            children[p[depth], default: []].append(p)
        }
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(children.count + 1)
        for (e, group) in children {
            out[e.fieldsV1Key] = encode(group, from: depth + 1)
        }
        if member && !out.isEmpty { out["."] = [:] }
        return .object(out)
    }

    /// The paths a `fieldsV1` value lists.
    static func decode(_ fields: JSONValue, prefix: FieldPath = []) -> Set<FieldPath> {
        guard let o = fields.objectValue, !o.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        var out: Set<FieldPath> = []
        for (k, v) in o {
            if k == "." { out.insert(prefix); continue }
            guard let e = PathElement(fieldsV1Key: k) else { continue }
            out.formUnion(decode(v, prefix: prefix + [e]))
        }
        return out
    }
}

/// The fields a value sets, walked with its schema: leaves (scalars, atomic lists, empty
/// objects), set items, map-list items (members themselves, with their fields), and the maps
/// themselves (`.`) when `includeMaps`.
enum FieldSets {
    static func of(_ object: JSONValue, type: ResourceType, section: Section, includeMaps: Bool) -> Set<FieldPath> {
        var out: Set<FieldPath> = []
        let root = SchemaNode.root(for: type)
        for (k, v) in object.objectValue ?? [:] {
            switch section {
            case .status where k != "status": continue
            case .main where k == "status" && type.hasStatus: continue
            default: break
            }
            if k == "apiVersion" || k == "kind" { continue }
            if k == "metadata" {
                for (mk, mv) in v.objectValue ?? [:] where ["labels", "annotations", "finalizers", "ownerReferences"].contains(mk) {
                    collect(mv, root.property("metadata").property(mk), [.field("metadata"), .field(mk)], includeMaps, &out)
                }
                continue
            }
            collect(v, root.property(k), [.field(k)], includeMaps, &out)
        }
        return out
    }

    enum Section { case main, status, all }

    static func collect(_ value: JSONValue, _ node: SchemaNode, _ prefix: FieldPath, _ includeMaps: Bool,
                        _ out: inout Set<FieldPath>) {
        switch value {
        case .object(let o):
            if o.isEmpty { out.insert(prefix); return }
            if includeMaps && node.isMap { out.insert(prefix) }
            for (k, v) in o { collect(v, node.property(k), prefix + [.field(k)], includeMaps, &out) }
        case .array(let items):
            switch node.listType {
            case "map":
                let keys = node.listKeys
                for item in items {
                    var keyValues: [String: JSONValue] = [:]
                    for k in keys { if let v = item[k] { keyValues[k] = v } }
                    let p = prefix + [.key(.object(keyValues))]
                    out.insert(p)
                    for (k, v) in item.objectValue ?? [:] { collect(v, node.items.property(k), p + [.field(k)], includeMaps, &out) }
                }
            case "set":
                if items.isEmpty { out.insert(prefix) }
                for item in items { out.insert(prefix + [.value(item)]) }
            default:
                out.insert(prefix)
            }
        default:
            out.insert(prefix)
        }
    }
}

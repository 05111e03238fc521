import KubeAPI

/// The merge of server-side apply: an applied configuration onto the live object, guided by the
/// schema (`SchemaNode`): objects merge per field, `map` lists per item key, `set` lists by value,
/// everything else (scalars, atomic lists) is replaced.
enum SSAMerge {
    static func merge(_ applied: JSONValue, into live: JSONValue?, node: SchemaNode) -> JSONValue {
        switch applied {
        case .object(let a):
            guard case .object(var out) = live ?? .null else { return applied }
            for (k, v) in a {
                if v == .null { out.removeValue(forKey: k); continue }
                out[k] = merge(v, into: out[k], node: node.property(k))
            }
            return .object(out)
        case .array(let items):
            guard let liveItems = live?.arrayValue else { return applied }
            switch node.listType {
            case "map":
                let keys = node.listKeys
                var out = liveItems
                for item in items {
                    if let i = out.firstIndex(where: { l in keys.allSatisfy { l[$0] == item[$0] } }) {
                        out[i] = merge(item, into: out[i], node: node.items)
                    } else {
                        out.append(item)
                    }
                }
                return .array(out)
            case "set":
                var out = liveItems
                for item in items where !out.contains(item) { out.append(item) }
                return .array(out)
            default:
                return applied
            }
        default:
            return applied
        }
    }

    /// Removes the field, map-list item or set item at `path`.
    static func remove(_ path: FieldPath, from object: inout JSONValue) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        switch first {
        case .field(let name):
            guard case .object(var o) = object else { return }
            if rest.isEmpty {
                o.removeValue(forKey: name)
            } else if var child = o[name] {
                remove(rest, from: &child)
                o[name] = child
            }
            object = .object(o)
        case .key(let k):
            guard var items = object.arrayValue else { return }
            let keys = k.objectValue ?? [:]
            guard let i = items.firstIndex(where: { item in keys.allSatisfy { item[$0.key] == $0.value } }) else { return }
            if rest.isEmpty { items.remove(at: i) } else { remove(rest, from: &items[i]) }
            object = .array(items)
        case .value(let v):
            guard var items = object.arrayValue else { return }
            if rest.isEmpty { items.removeAll { $0 == v } }
            object = .array(items)
        }
    }
}

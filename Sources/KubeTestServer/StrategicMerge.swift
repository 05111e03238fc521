import KubeAPI

/// An approximation of Kubernetes strategic merge patch for the built-in kinds we serve.
///
/// Objects merge like JSON merge patch (`null` deletes). Lists are replaced, except lists named in
/// `mergeKeys` (merged element-wise by that key, keyed elements may carry `$patch: delete`) and the
/// primitive lists in `unionLists` (union). A list-level `{"$patch": "replace"}` element replaces the
/// list; `$setElementOrder/…`, `$retainKeys` and `$deleteFromPrimitiveList/…` directives are
/// honoured in their simple forms. The merge key is chosen by field name, not by the Go type (see
/// docs/testserver.md).
enum StrategicMerge {
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
        "env": "name", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "ports": "containerPort", "imagePullSecrets": "name", "conditions": "type",
        "ownerReferences": "uid", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
        "resourceClaims": "name",
    ]
    static let unionLists: Set<String> = ["finalizers"]

    static func apply(_ patch: JSONValue, to original: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var target = original.objectValue ?? [:]
        if p["$patch"]?.stringValue == "replace" {
            var replaced = p
            replaced.removeValue(forKey: "$patch")
            return .object(replaced)
        }
        for (key, value) in p {
            if key == "$patch" || key.hasPrefix("$setElementOrder/") { continue }
            if key == "$retainKeys" {
                let keep = Set((value.arrayValue ?? []).compactMap(\.stringValue))
                for k in target.keys where !keep.contains(k) && p[k] == nil { target.removeValue(forKey: k) }
                continue
            }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = value.arrayValue ?? []
                if let list = target[field]?.arrayValue { target[field] = .array(list.filter { !remove.contains($0) }) }
                continue
            }
            if value == .null {
                target.removeValue(forKey: key)
            } else if case .array(let items) = value {
                target[key] = mergeList(key: key, patch: items, original: target[key]?.arrayValue)
            } else if case .object = value {
                target[key] = apply(value, to: target[key] ?? .object([:]))
            } else {
                target[key] = value
            }
        }
        return .object(target)
    }

    static func mergeList(key: String, patch: [JSONValue], original: [JSONValue]?) -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"]?.stringValue != "replace" })
        }
        if unionLists.contains(key) {
            var result = original ?? []
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        }
        guard let mergeKey = mergeKeys[key], patch.allSatisfy({ $0.objectValue != nil }) else { return .array(patch) }
        var result = original ?? []
        for item in patch {
            let id = item[mergeKey] ?? (mergeKey == "containerPort" ? item["port"] : nil)
            let index = result.firstIndex { ($0[mergeKey] ?? .null) == (id ?? .null) && id != nil }
            if item["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
            } else if let index {
                result[index] = apply(item, to: result[index])
            } else {
                var clean = item
                clean["$patch"] = nil
                result.append(clean)
            }
        }
        return .array(result)
    }
}

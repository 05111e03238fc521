import KubeAPI

/// An approximation of server-side apply (see docs/testserver.md for its exact reach).
///
/// - The applied configuration is merged onto the live object with strategic-merge rules.
/// - Each Apply manager's owned fields are recorded in `metadata.managedFields` (`FieldsV1`, with
///   lists as atomic leaves). Fields this manager applied before and omits now are removed.
/// - A field another Apply manager owns with a different value is a 409 conflict unless `force`,
///   which transfers ownership. Fields written by plain updates are not tracked for conflicts.
enum ServerSideApply {
    static func apply(_ patch: PatchRequest, to live: JSONValue, type: ResourceType, manager: String?,
                      now: String) throws(APIError) -> JSONValue {
        guard let manager, !manager.isEmpty else { throw .badRequest("PATCH with apply requires fieldManager") }
        guard case .object = patch.body else { throw .badRequest("an apply patch must be a JSON object") }
        let name = live[path: ["metadata", "name"]]?.stringValue ?? ""
        let applied = fieldPaths(patch.body)
        let entries = live[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        var conflicts: [(String, [String])] = []
        for entry in entries where entry["manager"]?.stringValue != manager && entry["operation"]?.stringValue == "Apply" {
            let owned = decode(entry["fieldsV1"] ?? [:])
            for path in applied where owned.contains(path) && live.value(at: path) != patch.body.value(at: path) {
                conflicts.append((entry["manager"]?.stringValue ?? "", path))
            }
        }
        if !conflicts.isEmpty && !patch.force {
            let causes: [JSONValue] = conflicts.map {
                ["reason": "FieldManagerConflict", "message": .string("conflict with \"\($0.0)\""),
                 "field": .string("." + $0.1.joined(separator: "."))]
            }
            let list = conflicts.map { "conflict with \"\($0.0)\": .\($0.1.joined(separator: "."))" }.joined(separator: "\n- ")
            var details = APIError.details(type, name: name)
            details["causes"] = .array(causes)
            throw APIError(code: 409, reason: "Conflict",
                           message: "Apply failed with \(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s"): \(conflicts.count == 1 ? list : "\n- " + list)",
                           details: details)
        }
        var merged = StrategicMerge.apply(patch.body, to: live)
        let previous = entries.first { $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Apply" }
            .map { decode($0["fieldsV1"] ?? [:]) } ?? []
        let otherOwned = entries.filter { $0["manager"]?.stringValue != manager }.flatMap { decode($0["fieldsV1"] ?? [:]) }
        for path in previous where !applied.contains(path) && !otherOwned.contains(path) {
            merged.set(path: path, to: nil)
        }
        return recordOwnership(patch.body, manager: manager, in: merged, type: type, now: now, force: patch.force)
    }

    /// Writes `manager`'s Apply entry (and, with `force`, removes the fields it took from others).
    static func recordOwnership(_ body: JSONValue, manager: String, in object: JSONValue, type: ResourceType,
                                now: String, force: Bool = true) -> JSONValue {
        let applied = Set(fieldPaths(body))
        var entries = (object[path: ["metadata", "managedFields"]]?.arrayValue ?? []).filter {
            !($0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Apply")
        }
        if force {
            entries = entries.compactMap { entry in
                var owned = decode(entry["fieldsV1"] ?? [:])
                owned.removeAll { applied.contains($0) }
                if owned.isEmpty { return nil }
                var e = entry
                e["fieldsV1"] = encode(owned)
                return e
            }
        }
        entries.append(["manager": .string(manager), "operation": "Apply", "apiVersion": .string(type.apiVersion),
                        "time": .string(now), "fieldsType": "FieldsV1", "fieldsV1": encode(Array(applied))])
        var result = object
        result.set(path: ["metadata", "managedFields"], to: .array(entries))
        return result
    }

    /// Leaf paths set by an applied configuration (metadata: labels, annotations, finalizers, ownerReferences).
    static func fieldPaths(_ value: JSONValue, prefix: [String] = []) -> [[String]] {
        guard case .object(let o) = value else { return [prefix] }
        if o.isEmpty { return prefix.isEmpty ? [] : [prefix] }
        var paths: [[String]] = []
        for (k, v) in o {
            if prefix.isEmpty && (k == "apiVersion" || k == "kind") { continue }
            if prefix == ["metadata"] {
                guard ["labels", "annotations", "finalizers", "ownerReferences"].contains(k) else { continue }
            }
            paths += fieldPaths(v, prefix: prefix + [k])
        }
        return paths
    }

    static func encode(_ paths: [[String]]) -> JSONValue {
        var root: JSONValue = [:]
        for p in paths { root.set(path: p.map { "f:" + $0 }, to: [:]) }
        return root
    }

    static func decode(_ fields: JSONValue, prefix: [String] = []) -> [[String]] {
        guard let o = fields.objectValue, !o.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        var out: [[String]] = []
        for (k, v) in o where k.hasPrefix("f:") {
            out += decode(v, prefix: prefix + [String(k.dropFirst(2))])
        }
        return out
    }
}

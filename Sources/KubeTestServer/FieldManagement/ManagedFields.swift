import KubeAPI

/// `metadata.managedFields`: who set which field, as the apiserver's field manager records it.
///
/// Every write records its manager (the `fieldManager` parameter, else the User-Agent's product
/// token, like `kubectl-create`): create, update and patch as operation `Update`, owning the fields
/// they added or changed (taken from whoever owned them); fields a write removes leave every
/// manager. Server-side apply (`ServerSideApply`) records operation `Apply` and conflicts with any
/// other manager — Update or Apply — that owns a field it changes.
struct ManagedFieldsEntry: Sendable {
    var manager: String
    var operation: String
    var apiVersion: String
    var time: JSONValue
    var subresource: String?
    var fields: Set<FieldPath>

    init(manager: String, operation: String, apiVersion: String, time: JSONValue, subresource: String?,
         fields: Set<FieldPath>) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    init(_ json: JSONValue) {
        manager = json["manager"]?.stringValue ?? ""
        operation = json["operation"]?.stringValue ?? "Update"
        apiVersion = json["apiVersion"]?.stringValue ?? ""
        time = json["time"] ?? .null
        subresource = json["subresource"]?.stringValue
        fields = FieldPaths.decode(json["fieldsV1"] ?? [:])
    }

    var json: JSONValue {
        var o: JSONValue = ["manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
                            "time": time, "fieldsType": "FieldsV1", "fieldsV1": FieldPaths.encode(fields)]
        if let subresource { o["subresource"] = .string(subresource) }
        return o
    }

    func same(manager: String, operation: String, apiVersion: String?, subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
            && (apiVersion == nil || self.apiVersion == apiVersion)
    }

    /// How conflicts name this manager: `"m"`, or `"m" using v1` for an Update.
    var conflictName: String {
        var s = "\"\(manager)\""
        if let subresource { s += " with subresource \"\(subresource)\"" }
        if operation == "Update" { s += " using \(apiVersion)" }
        return s
    }
}

enum ManagedFields {
    static func entries(of object: JSONValue) -> [ManagedFieldsEntry] {
        (object[path: ["metadata", "managedFields"]]?.arrayValue ?? []).map(ManagedFieldsEntry.init)
    }

    static func store(_ entries: [ManagedFieldsEntry], in object: inout JSONValue) {
        let kept = entries.filter { !$0.fields.isEmpty }
        object.set(path: ["metadata", "managedFields"], to: kept.isEmpty ? nil : .array(kept.map(\.json)))
    }

    static func section(_ type: ResourceType, subresource: String?) -> FieldSets.Section {
        subresource == "status" ? .status : .main
    }

    /// Records a create (`old` nil), update or non-apply patch by `manager` on `new`.
    static func recordUpdate(_ type: ResourceType, new: inout JSONValue, old: JSONValue?, manager: String,
                             subresource: String?, now: String) {
        let section = self.section(type, subresource: subresource)
        let newSet = FieldSets.of(new, type: type, section: section, includeMaps: true)
        let oldSet = old.map { FieldSets.of($0, type: type, section: section, includeMaps: true) } ?? []
        let prefixes = Set(newSet.flatMap { p in (0..<p.count).map { Array(p[..<$0]) } })
        var changed = newSet.subtracting(oldSet)
        if let old {
            for p in newSet.intersection(oldSet) where !prefixes.contains(p)
                && FieldPaths.value(at: p, in: new) != FieldPaths.value(at: p, in: old) {
                changed.insert(p)
            }
        }
        let removed = oldSet.subtracting(newSet)
        var entries = (old.map { Self.entries(of: $0) } ?? [])
        let apiVersion = type.apiVersion
        var found = false
        for i in entries.indices {
            if entries[i].same(manager: manager, operation: "Update", apiVersion: apiVersion, subresource: subresource) {
                found = true
                entries[i].fields.subtract(removed)
                if !changed.isEmpty { entries[i].fields.formUnion(changed); entries[i].time = .string(now) }
            } else {
                entries[i].fields.subtract(changed)
                entries[i].fields.subtract(removed)
            }
        }
        if !found && !changed.isEmpty {
            entries.append(ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: apiVersion,
                                              time: .string(now), subresource: subresource, fields: changed))
        }
        store(entries, in: &new)
    }
}

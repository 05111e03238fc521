import KubeAPI

/// Server-side apply (see docs/testserver.md for its exact reach).
///
/// - The applied configuration is merged onto the live object by its schema (`SSAMerge`): structs
///   and maps field by field, `map` lists item by item (by their keys: Pod containers by `name`,
///   ports by `containerPort`+`protocol`, CRD lists with `x-kubernetes-list-map-keys`), sets by
///   value, other lists replaced whole.
/// - The manager's `Apply` entry in `metadata.managedFields` lists the fields it applied; fields it
///   applied before and omits now are removed unless another manager owns them too.
/// - A field another manager (Apply or Update) owns with a different value is a 409 conflict with
///   the real message (`Apply failed with 1 conflict: conflict with "m" using v1: .data.k`) unless
///   `force`, which takes the fields over.
enum ServerSideApply {
    static func apply(_ patch: PatchRequest, to live: JSONValue, type: ResourceType, manager: String?,
                      now: String, subresource: String? = nil) throws(APIError) -> JSONValue {
        guard let manager, !manager.isEmpty else { throw .badRequest("PATCH with apply requires fieldManager") }
        guard case .object = patch.body else { throw .badRequest("an apply patch must be a JSON object") }
        let section = ManagedFields.section(type, subresource: subresource)
        let applied = FieldSets.of(patch.body, type: type, section: section, includeMaps: false)
        let prefixes = Set(applied.flatMap { p in (0..<p.count).map { Array(p[..<$0]) } })
        var entries = ManagedFields.entries(of: live)
        var conflicts: [(manager: String, path: FieldPath)] = []
        for entry in entries where !entry.same(manager: manager, operation: "Apply", apiVersion: nil, subresource: subresource) {
            for path in entry.fields.intersection(applied) where !prefixes.contains(path)
                && FieldPaths.value(at: path, in: live) != FieldPaths.value(at: path, in: patch.body) {
                conflicts.append((entry.conflictName, path))
            }
        }
        conflicts.sort { ($0.manager, FieldPaths.text($0.path)) < ($1.manager, FieldPaths.text($1.path)) }
        if !conflicts.isEmpty && !patch.force { throw conflictError(conflicts) }
        let conflicting = Set(conflicts.map(\.path))
        var merged = SSAMerge.merge(patch.body, into: live, node: SchemaNode.root(for: type))
        let previous = entries.first { $0.same(manager: manager, operation: "Apply", apiVersion: nil, subresource: subresource) }?.fields ?? []
        var others: Set<FieldPath> = []
        for i in entries.indices where !entries[i].same(manager: manager, operation: "Apply", apiVersion: nil, subresource: subresource) {
            entries[i].fields.subtract(conflicting)
            others.formUnion(entries[i].fields)
        }
        for path in previous.subtracting(applied).subtracting(others).sorted(by: { $0.count < $1.count }) {
            SSAMerge.remove(path, from: &merged)
        }
        let mine = ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: type.apiVersion, time: .string(now),
                                      subresource: subresource, fields: applied)
        if let i = entries.firstIndex(where: { $0.same(manager: manager, operation: "Apply", apiVersion: nil, subresource: subresource) }) {
            entries[i] = mine
        } else {
            entries.append(mine)
        }
        ManagedFields.store(entries, in: &merged)
        return merged
    }

    /// Writes `manager`'s Apply entry on an object an apply just created.
    static func recordOwnership(_ body: JSONValue, manager: String, in object: JSONValue, type: ResourceType,
                                now: String, force: Bool = true) -> JSONValue {
        var result = object
        let applied = FieldSets.of(body, type: type, section: .main, includeMaps: false)
        ManagedFields.store([ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: type.apiVersion,
                                                time: .string(now), subresource: nil, fields: applied)], in: &result)
        return result
    }

    /// `k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager/internal.NewConflictError`.
    static func conflictError(_ conflicts: [(manager: String, path: FieldPath)]) -> APIError {
        let causes: [JSONValue] = conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \($0.manager)"),
             "field": .string(FieldPaths.text($0.path))]
        }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(FieldPaths.text(conflicts[0].path))"
        } else {
            var byManager: [String: [String]] = [:]
            for c in conflicts { byManager[c.manager, default: []].append(FieldPaths.text(c.path)) }
            var lines: [String] = []
            for m in byManager.keys.sorted() {
                lines.append("conflicts with \(m):")
                lines += byManager[m]!.sorted().map { "- \($0)" }
            }
            message = "Apply failed with \(conflicts.count) conflicts: \(lines.joined(separator: "\n"))"
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: ["causes": .array(causes)])
    }
}

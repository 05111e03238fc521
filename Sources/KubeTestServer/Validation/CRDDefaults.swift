import KubeAPI

/// `structuraldefaulting.ValidateDefaults`: every `default` in a CRD schema must be pruned
/// (no fields the schema would drop) and valid against the schema node it sits on, reported at
/// `….default` with the validator's own wording (the node's value is the validation root, so a
/// wrong scalar reads `Invalid value: "string":  in body must be of type integer: "string"`).
enum CRDDefaults {
    static func validate(_ schema: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        visit(schema, path: path, root: true, &errors)
        return errors
    }

    private static func visit(_ s: JSONValue, path: String, root: Bool, _ errors: inout [FieldError]) {
        if let value = s["default"], !root {
            let at = path + ".default"
            var pruned: [String] = []
            let compiled = CompiledSchema(s)
            if SchemaValidation.prune(value, compiled, path: "", pruned: &pruned) != value || !pruned.isEmpty {
                errors.append(CRDSchemaChecks.invalid(at, GoJSON.encode(value), "must not have unknown fields"))
            } else {
                var found: [FieldError] = []
                SchemaValidation.validate(value, compiled, path: "", errors: &found)
                for e in found {
                    errors.append(FieldError(reason: e.reason, field: e.field.isEmpty ? at : "\(at).\(e.field)", message: e.message))
                }
            }
        }
        if let items = s["items"], items.objectValue != nil { visit(items, path: path + ".items", root: false, &errors) }
        for k in (s["properties"]?.objectValue ?? [:]).keys.sorted() {
            if root && ["metadata", "apiVersion", "kind"].contains(k) { continue }
            visit(s["properties"]![k]!, path: "\(path).properties[\(k)]", root: false, &errors)
        }
        if let add = s["additionalProperties"], add.objectValue != nil { visit(add, path: path + ".additionalProperties", root: false, &errors) }
    }
}

import Foundation
import KubeAPI

/// Structural-schema handling of custom resources, in the apiextensions-apiserver's order:
/// prune unknown fields (and non-nullable nulls), apply `default`s, validate, then evaluate
/// `x-kubernetes-validations` (the CEL subset of `CELExpression`).
///
/// Validated keywords: type, required, enum, pattern, minimum/maximum (+exclusive), minLength/
/// maxLength, minItems/maxItems, minProperties/maxProperties, items, properties,
/// additionalProperties, nullable, x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields.
/// `metadata` is never pruned here; `apiVersion`/`kind` are always kept.
enum SchemaValidation {
    /// Returns the field errors; mutates `obj` (pruning, defaults). With `strictFields`, pruned
    /// fields are reported as errors (`fieldValidation=Strict`).
    /// `schema` is the CRD version's compiled `openAPIV3Schema` (`ResourceType.compiledSchema`).
    static func apply(schema: CompiledSchema, to obj: inout JSONValue, old: JSONValue?, strictFields: Bool) -> [FieldError] {
        var pruned: [String] = []
        var root = obj.objectValue ?? [:]
        let props = schema.properties
        for (key, value) in root where !["apiVersion", "kind", "metadata"].contains(key) {
            if let sub = props[key] {
                root[key] = prune(value, sub, path: key, pruned: &pruned)
                if root[key] == .null && !sub.nullable { root.removeValue(forKey: key) }
            } else if !schema.preserveUnknownFields {
                root.removeValue(forKey: key)
                pruned.append(key)
            }
        }
        var value = JSONValue.object(root)
        applyDefaults(&value, schema)
        obj = value
        if strictFields && !pruned.isEmpty {
            return pruned.sorted().map { FieldError(reason: "FieldValueInvalid", field: $0, message: "unknown field \"\($0)\"") }
        }
        var errors: [FieldError] = []
        var body = value
        body["metadata"] = nil
        body["apiVersion"] = nil
        body["kind"] = nil
        validate(body, schema, path: "", errors: &errors, skipRootRequired: ["metadata", "apiVersion", "kind"])
        ListTypeValidation.validate(body, schema, path: "", errors: &errors)
        if !CELRules.blocked(by: errors) {
            CELRules.evaluate(value, old: old, schema: schema.source, path: "", errors: &errors)
        } else if CELRules.hasRules(schema.source) {
            errors.append(CELRules.notCheckedCause)
        }
        return errors
    }

    /// Removes fields the schema does not know, unless preserved.
    static func prune(_ value: JSONValue, _ schema: CompiledSchema, path: String, pruned: inout [String]) -> JSONValue {
        switch value {
        case .object(var o):
            if schema.embeddedResource { return value }
            let props = schema.properties
            for (k, v) in o {
                let childPath = path.isEmpty ? k : "\(path).\(k)"
                if let sub = props[k] {
                    let p = prune(v, sub, path: childPath, pruned: &pruned)
                    if p == .null && !sub.nullable && sub.defaultValue == nil {
                        o.removeValue(forKey: k)
                    } else {
                        o[k] = p
                    }
                } else if let add = schema.additionalSchema {
                    o[k] = prune(v, add, path: childPath, pruned: &pruned)
                } else if !schema.preserveUnknownFields && !schema.additionalTrue {
                    o.removeValue(forKey: k)
                    pruned.append(childPath)
                }
            }
            return .object(o)
        case .array(let a):
            guard let items = schema.items else { return value }
            return .array(a.enumerated().map { prune($1, items, path: "\(path)[\($0)]", pruned: &pruned) })
        default:
            return value
        }
    }

    /// Fills `default`s of missing properties (and of nulls where a default exists), recursively.
    static func applyDefaults(_ value: inout JSONValue, _ schema: CompiledSchema) {
        switch value {
        case .object(var o):
            for (k, sub) in schema.properties {
                if (o[k] == nil || o[k] == .null), let d = sub.defaultValue { o[k] = d }
                if var child = o[k] {
                    applyDefaults(&child, sub)
                    o[k] = child
                }
            }
            if let add = schema.additionalSchema {
                for (k, v) in o where schema.properties[k] == nil {
                    var child = v
                    applyDefaults(&child, add)
                    o[k] = child
                }
            }
            value = .object(o)
        case .array(var a):
            guard let items = schema.items else { return }
            for i in a.indices { applyDefaults(&a[i], items) }
            value = .array(a)
        default:
            break
        }
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double(let d): d.rounded() == d ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Appends the errors of `value` against `schema` at `path` (dotted, `[i]` for items).
    static func validate(_ value: JSONValue, _ schema: CompiledSchema, path: String, errors: inout [FieldError],
                         skipRootRequired: Set<String> = []) {
        let field = path
        if value == .null {
            if schema.nullable { return }
            if schema.hasType {
                errors.append(FieldError(reason: "FieldValueTypeInvalid", field: field,
                                         message: "Invalid value: \"null\": \(field) in body must be of type \(schema.type ?? ""): \"null\""))
            }
            return
        }
        if schema.intOrString, !matchesType(value, "integer", intOrString: true) {
            errors.append(FieldError(reason: "FieldValueTypeInvalid", field: field,
                                     message: "Invalid value: \"\(typeName(value))\": \(field) in body must be of type integer,string: \"\(typeName(value))\""))
            return
        }
        if let type = schema.type, !matchesType(value, type, intOrString: schema.intOrString) {
            errors.append(FieldError(reason: "FieldValueTypeInvalid", field: field,
                                     message: "Invalid value: \"\(typeName(value))\": \(field) in body must be of type \(type): \"\(typeName(value))\""))
            return
        }
        if let options = schema.enumValues, !options.contains(value) {
            errors.append(FieldError(reason: "FieldValueNotSupported", field: field,
                                     message: "Unsupported value: \(value.jsonString()): supported values: \(options.map { $0.jsonString() }.joined(separator: ", "))"))
        }
        ScalarChecks.check(value, schema, field: field, errors: &errors)
        switch value {
        case .object(let o):
            for k in schema.required {
                guard o[k] == nil, !skipRootRequired.contains(k) else { continue }
                errors.append(.required(path.isEmpty ? k : "\(path).\(k)"))
            }
            let props = schema.properties
            for k in o.keys.sorted() {
                let childPath = path.isEmpty ? k : "\(path).\(k)"
                if let sub = props[k] {
                    validate(o[k]!, sub, path: childPath, errors: &errors)
                } else if let add = schema.additionalSchema {
                    validate(o[k]!, add, path: childPath, errors: &errors)
                }
            }
        case .array(let a):
            if let items = schema.items {
                for (i, v) in a.enumerated() { validate(v, items, path: "\(path)[\(i)]", errors: &errors) }
            }
        default:
            break
        }
    }

    static func matchesType(_ v: JSONValue, _ type: String, intOrString: Bool) -> Bool {
        if intOrString, case .string = v { return true }
        switch (type, v) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let d)):
            return d.rounded() == d
        default:
            return false
        }
    }
}

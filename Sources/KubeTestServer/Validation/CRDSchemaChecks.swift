import Foundation
import KubeAPI

/// The checks apiextensions-apiserver makes on a CRD version's `openAPIV3Schema` before it looks
/// at CEL: structurality (`ValidateStructural`, errors sorted by text like the real one) and the
/// OpenAPI keyword rules of `ValidateCustomResourceDefinitionOpenAPISchema` (list and map types,
/// list-map keys, `uniqueItems`, `additionalProperties` with `properties`, rule entries).
enum CRDSchemaChecks {
    enum Level { case root, item, field }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
    }
    static func required(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueRequired", field: field, message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }
    static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldError {
        FieldError(reason: "FieldValueNotSupported", field: field,
                   message: "Unsupported value: \(GoJSON.quote(value)): supported values: \(supported.map(GoJSON.quote).joined(separator: ", "))")
    }
    static func invalid(_ field: String, _ shown: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(shown): \(detail)")
    }

    // MARK: structural

    /// `ValidateStructural`: the errors, sorted by their full text as the real one sorts them.
    static func structural(_ s: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        invariants(s, .root, path, &errors)
        return errors.sorted { "\($0.field): \($0.message)" < "\($1.field): \($1.message)" }
    }

    private static func invariants(_ s: JSONValue, _ level: Level, _ path: String, _ errors: inout [FieldError]) {
        let type = s["type"]?.stringValue ?? ""
        let intOrString = s["x-kubernetes-int-or-string"]?.boolValue == true
        let preserve = s["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        let embedded = s["x-kubernetes-embedded-resource"]?.boolValue == true
        if type == "array" && s["items"] == nil { errors.append(required(path + ".items", "must be specified")) }
        if let items = s["items"], items.objectValue != nil { invariants(items, .item, path + ".items", &errors) }
        for (k, v) in s["properties"]?.objectValue ?? [:] { invariants(v, .field, "\(path).properties[\(k)]", &errors) }
        if let add = s["additionalProperties"], add != .bool(false) {
            if level == .root { errors.append(forbidden(path + ".additionalProperties", "must not be used at the root")) }
            if add.objectValue != nil { invariants(add, .field, path + ".additionalProperties", &errors) }
        }
        if intOrString && preserve {
            errors.append(invalid(path + ".x-kubernetes-preserve-unknown-fields", "true", "must be false if x-kubernetes-int-or-string is true"))
        }
        if intOrString && embedded {
            errors.append(invalid(path + ".x-kubernetes-embedded-resource", "true", "must be false if x-kubernetes-int-or-string is true"))
        }
        for quantifier in ["anyOf", "allOf", "oneOf"] {
            for (i, nested) in (s[quantifier]?.arrayValue ?? []).enumerated() {
                let isIntOrStringPattern = quantifier == "anyOf" ? s["anyOf"] == intOrStringAnyOf
                    : (quantifier == "allOf" && i == 0 && nested["anyOf"] == intOrStringAnyOf)
                if quantifier == "anyOf" && isIntOrStringPattern { break }
                nestedValueValidation(nested, skipType: isIntOrStringPattern, "\(path).\(quantifier)[\(i)]", &errors)
            }
        }
        if let not = s["not"] { nestedValueValidation(not, skipType: false, path + ".not", &errors) }
        if embedded && type != "object" {
            errors.append(type.isEmpty ? required(path + ".type", "must be object if x-kubernetes-embedded-resource is true")
                          : invalid(path + ".type", GoJSON.quote(type), "must be object if x-kubernetes-embedded-resource is true"))
        } else if type.isEmpty && !intOrString && !preserve {
            let detail = switch level {
            case .root: "must not be empty at the root"
            case .item: "must not be empty for specified array items"
            case .field: "must not be empty for specified object fields"
            }
            errors.append(required(path + ".type", detail))
        }
        if embedded && s["additionalProperties"] != nil {
            errors.append(forbidden(path + ".additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if level == .root && !type.isEmpty && type != "object" { errors.append(invalid(path + ".type", GoJSON.quote(type), "must be object at the root")) }
        let checkMetadata = level == .root || embedded
        if checkMetadata, let kind = s["properties"]?["kind"], kind["type"]?.stringValue != "string" {
            errors.append(invalid("\(path).properties[kind].type", GoJSON.quote(kind["type"]?.stringValue ?? ""), "must be string"))
        }
        if checkMetadata, let apiVersion = s["properties"]?["apiVersion"], apiVersion["type"]?.stringValue != "string" {
            errors.append(invalid("\(path).properties[apiVersion].type", GoJSON.quote(apiVersion["type"]?.stringValue ?? ""), "must be string"))
        }
        if let metadata = s["properties"]?["metadata"] {
            let mpath = "\(path).properties[metadata]"
            if checkMetadata && metadata["type"]?.stringValue != "object" {
                errors.append(invalid(mpath + ".type", GoJSON.quote(metadata["type"]?.stringValue ?? ""), "must be object"))
            }
            if level == .root {
                var rest = metadata.objectValue ?? [:]
                rest["type"] = nil
                rest["default"] = nil
                rest["description"] = nil
                if let props = rest["properties"]?.objectValue, Set(props.keys).isSubset(of: ["name", "generateName"]) { rest["properties"] = nil }
                if !rest.isEmpty {
                    errors.append(forbidden(mpath, "must not specify anything other than name and generateName, but metadata is implicitly specified"))
                }
            }
        }
        if embedded && !preserve && (s["properties"]?.objectValue ?? [:]).isEmpty {
            errors.append(required(path + ".properties", "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
        }
    }

    static let intOrStringAnyOf: JSONValue = [["type": "integer"], ["type": "string"]]

    private static func nestedValueValidation(_ s: JSONValue, skipType: Bool, _ path: String, _ errors: inout [FieldError]) {
        let keys: [(String, String)] = [("type", "must be empty to be structural"), ("additionalProperties", "must be undefined to be structural"),
                                        ("default", "must be undefined to be structural"), ("title", "must be empty to be structural"),
                                        ("description", "must be empty to be structural"), ("nullable", "must be false to be structural"),
                                        ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
                                        ("x-kubernetes-embedded-resource", "must be false to be structural"),
                                        ("x-kubernetes-int-or-string", "must be false to be structural"),
                                        ("x-kubernetes-list-map-keys", "must be empty to be structural"),
                                        ("x-kubernetes-list-type", "must be undefined to be structural"),
                                        ("x-kubernetes-map-type", "must be undefined to be structural"),
                                        ("x-kubernetes-validations", "must be empty to be structural")]
        for (key, detail) in keys where s[key] != nil && !(key == "type" && skipType) && s[key] != .bool(false) {
            errors.append(forbidden("\(path).\(key)", detail))
        }
        if s["properties"]?["metadata"] != nil {
            errors.append(forbidden("\(path).properties[metadata]", "must not be specified in a nested context"))
        }
    }

    // MARK: OpenAPI keyword rules

    static let openAPITypes = ["array", "boolean", "integer", "number", "object", "string"]

    /// `ValidateCustomResourceDefinitionOpenAPISchema` without CEL (that is `CELSchemaRules`).
    static func keywords(_ s: JSONValue, path: String, errors: inout [FieldError]) {
        if let type = s["type"]?.stringValue, !type.isEmpty, !openAPITypes.contains(type) {
            errors.append(notSupported(path + ".type", type, openAPITypes))
        }
        for (key, what) in [("id", "id"), ("additionalItems", "additionalItems"), ("patternProperties", "patternProperties"),
                            ("definitions", "definitions"), ("dependencies", "dependencies"), ("$ref", "$ref")] where s[key] != nil {
            errors.append(forbidden("\(path).\(key)", "\(what) is not supported"))
        }
        if s["uniqueItems"]?.boolValue == true {
            errors.append(forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let add = s["additionalProperties"], !(s["properties"]?.objectValue ?? [:]).isEmpty, add != .bool(true) {
            errors.append(forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"))
        }
        if let add = s["additionalProperties"], add.objectValue != nil { keywords(add, path: path + ".additionalProperties", errors: &errors) }
        for k in (s["properties"]?.objectValue ?? [:]).keys.sorted() { keywords(s["properties"]![k]!, path: "\(path).properties[\(k)]", errors: &errors) }
        if let items = s["items"], items.objectValue != nil { keywords(items, path: path + ".items", errors: &errors) }
        if s["x-kubernetes-preserve-unknown-fields"] == .bool(false) {
            errors.append(invalid(path + ".x-kubernetes-preserve-unknown-fields", "false", "must be true or undefined"))
        }
        listAndMapTypes(s, path: path, errors: &errors)
        ruleEntries(s, path: path, errors: &errors)
    }

    private static func listAndMapTypes(_ s: JSONValue, path: String, errors: inout [FieldError]) {
        let type = s["type"]?.stringValue ?? ""
        if let mapType = s["x-kubernetes-map-type"]?.stringValue {
            if type != "object" {
                errors.append(type.isEmpty ? required(path + ".type", "must be object if x-kubernetes-map-type is specified")
                              : invalid(path + ".type", GoJSON.quote(type), "must be object if x-kubernetes-map-type is specified"))
            }
            if mapType != "atomic" && mapType != "granular" { errors.append(notSupported(path + ".x-kubernetes-map-type", mapType, ["atomic", "granular"])) }
        }
        let listType = s["x-kubernetes-list-type"]?.stringValue
        if listType != nil && type != "array" {
            errors.append(type.isEmpty ? required(path + ".type", "must be array if x-kubernetes-list-type is specified")
                          : invalid(path + ".type", GoJSON.quote(type), "must be array if x-kubernetes-list-type is specified"))
        }
        if let listType, !["atomic", "set", "map"].contains(listType) {
            errors.append(notSupported(path + ".x-kubernetes-list-type", listType, ["atomic", "set", "map"]))
        }
        let keys = (s["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        let keysJSON = GoJSON.encode(s["x-kubernetes-list-map-keys"] ?? .null)
        if !keys.isEmpty {
            if listType == nil {
                errors.append(required(path + ".x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty"))
            } else if listType != "map" {
                errors.append(invalid(path + ".x-kubernetes-list-type", GoJSON.quote(listType!), "must be map if x-kubernetes-list-map-keys is non-empty"))
            }
        }
        guard listType == "map" else { return }
        if keys.isEmpty { errors.append(required(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map")) }
        guard let items = s["items"] else {
            errors.append(required(path + ".items", "must have a schema if x-kubernetes-list-type is map"))
            return
        }
        let itemType = items["type"]?.stringValue ?? ""
        guard itemType == "object" else {
            errors.append(invalid(path + ".items.type", GoJSON.quote(itemType), "must be object if parent array's x-kubernetes-list-type is map"))
            return
        }
        var seen: Set<String> = []
        let required = Set((items["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for k in keys {
            if let prop = items["properties"]?[k] {
                if ["array", "object"].contains(prop["type"]?.stringValue ?? "") {
                    errors.append(invalid("\(path).items.properties[\(k)].type", GoJSON.quote(itemType), "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                }
                if prop["default"] == nil && !required.contains(k) {
                    errors.append(Self.required("\(path).items.properties[\(k)].default", "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"))
                }
                if prop["nullable"]?.boolValue == true {
                    errors.append(forbidden("\(path).items.properties[\(k)].nullable", "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
                }
            } else {
                errors.append(invalid(path + ".x-kubernetes-list-map-keys", keysJSON, "entries must all be names of item properties"))
            }
            if !seen.insert(k).inserted {
                errors.append(invalid(path + ".x-kubernetes-list-map-keys", keysJSON, "must not contain duplicate entries"))
            }
        }
        if items["nullable"]?.boolValue == true {
            errors.append(forbidden(path + ".items.nullable", "cannot be nullable when x-kubernetes-list-type is map"))
        }
    }

    static let reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]

    /// The per-entry checks of `x-kubernetes-validations` that precede compilation.
    private static func ruleEntries(_ s: JSONValue, path: String, errors: inout [FieldError]) {
        for (i, rule) in (s["x-kubernetes-validations"]?.arrayValue ?? []).enumerated() {
            let p = "\(path).x-kubernetes-validations[\(i)]"
            let text = (rule["rule"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let message = rule["message"]?.stringValue ?? ""
            let trimmedMessage = message.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                errors.append(required(p + ".rule", "rule is not specified"))
            } else if !message.isEmpty && trimmedMessage.isEmpty {
                errors.append(invalid(p + ".message", GoJSON.quote(message), "must be non-empty if specified"))
            } else if trimmedMessage.contains(where: { $0 == "\n" || $0 == "\r" }) {
                errors.append(invalid(p + ".message", GoJSON.quote(message), "must not contain line breaks"))
            } else if text.contains(where: { $0 == "\n" || $0 == "\r" }) && trimmedMessage.isEmpty {
                errors.append(required(p + ".message", "message must be specified if rule contains line breaks"))
            }
            if let me = rule["messageExpression"]?.stringValue, !me.isEmpty, me.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(required(p + ".messageExpression", "messageExpression must be non-empty if specified"))
            }
            if let reason = rule["reason"]?.stringValue, !reasons.contains(reason) {
                errors.append(notSupported(p + ".reason", reason, reasons))
            }
            if let fieldPath = rule["fieldPath"]?.stringValue, !fieldPath.isEmpty {
                if fieldPath.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(invalid(p + ".fieldPath", GoJSON.quote(fieldPath), "must be non-empty if specified"))
                } else if fieldPath.contains("\n") {
                    errors.append(invalid(p + ".fieldPath", GoJSON.quote(fieldPath), "must not contain line breaks"))
                } else if CELFieldPath.resolve(fieldPath, in: s) == nil {
                    errors.append(invalid(p + ".fieldPath", GoJSON.quote(fieldPath), "must be a valid path"))
                }
            }
        }
    }
}

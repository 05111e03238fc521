import Foundation
import KubeAPI

/// Applies `x-kubernetes-validations` found anywhere in a schema to the matching values, with
/// the apiextensions-apiserver's messages (`cel/validation.go`).
///
/// `self` is the value at the rule's node, `oldSelf` the correlated value of the stored object
/// (same property, same map key, or the `x-kubernetes-list-type: map` item with the same keys).
/// Transition rules (those using `oldSelf`) run only when an old value exists, unless
/// `optionalOldSelf` is set (then `oldSelf` is an optional). On updates, a rule without `oldSelf`
/// whose value did not change is not enforced (validation ratcheting). Failures read
/// `Invalid value: msg` for objects and arrays and `Invalid value: "b": msg` for scalars;
/// evaluation errors read `Invalid value: "object": no such key: x evaluating rule: …`.
enum CELRules {
    static func evaluate(_ value: JSONValue, old: JSONValue?, schema: JSONValue, path: String, errors: inout [FieldError]) {
        for rule in schema["x-kubernetes-validations"]?.arrayValue ?? [] {
            guard let text = rule["rule"]?.stringValue else { continue }
            let optionalOldSelf = rule["optionalOldSelf"]?.boolValue == true
            let parsed = CELRuleCache.parsed(text)
            let transition = parsed.mentionsOldSelf
            if transition && old == nil && !optionalOldSelf { continue }
            if !transition, let old, old == value { continue }
            var field = path
            if let fp = rule["fieldPath"]?.stringValue, !fp.isEmpty {
                let normalized = CELFieldPath.resolve(fp, in: schema) ?? String(fp.drop { $0 == "." })
                field = path.isEmpty ? normalized : "\(path).\(normalized)"
            }
            let schemaType = schema["type"]?.stringValue ?? ""
            var vars: [String: JSONValue] = ["self": value]
            if transition { vars["oldSelf"] = optionalOldSelf ? (old.map(CELValue.some) ?? CELValue.none) : old }
            // Only a failing rule needs its texts (most rules pass: computed on failure only).
            var shownType: String { GoJSON.quote(schemaType) }
            var ruleText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
            var message: String { (rule["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            do {
                let ast = try parsed.ast.get()
                let result = try CELEvaluator(variables: vars).eval(ast)
                if result == .bool(true) { continue }
                let detail = messageExpression(rule, vars) ?? (message.isEmpty ? "failed rule: \(ruleText)" : message)
                let omit = schemaType == "object" || schemaType == "array"
                errors.append(failure(field: field, value: omit ? nil : value, detail: detail, reason: rule["reason"]?.stringValue))
            } catch let e as CELSyntaxError {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \(shownType): rule compile error: \(e.message)"))
            } catch let e as CELEvalError {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \(shownType): \(e.message) evaluating rule: \(message.isEmpty ? ruleText : message)"))
            } catch {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field, message: "\(error)"))
            }
        }
        recurse(value, old: old, schema: schema, path: path, errors: &errors)
    }

    /// Whether the rule references `oldSelf` (as an identifier, not inside a string).
    static func mentionsOldSelf(_ text: String) -> Bool {
        guard let tokens = try? CELLexer.lex(text) else { return text.contains("oldSelf") }
        return tokens.contains { $0.kind == .ident("oldSelf") }
    }

    /// `fieldErrorForReason`, with the value omitted (nil) for objects and arrays.
    static func failure(field: String, value: JSONValue?, detail: String, reason: String?) -> FieldError {
        let shown = value.map { v -> String in
            if case .string(let s) = v { return GoJSON.quote(s) }
            return GoJSON.encode(v)
        }
        switch reason {
        case "FieldValueForbidden":
            return FieldError(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
        case "FieldValueRequired":
            return FieldError(reason: "FieldValueRequired", field: field, message: "Required value: \(detail)")
        case "FieldValueDuplicate":
            return FieldError(reason: "FieldValueDuplicate", field: field, message: shown.map { "Duplicate value: \($0)" } ?? "Duplicate value")
        default:
            return FieldError(reason: "FieldValueInvalid", field: field,
                              message: shown.map { "Invalid value: \($0): \(detail)" } ?? "Invalid value: \(detail)")
        }
    }

    /// A rule's `messageExpression` evaluated to a non-empty one-line string, if it has one.
    static func messageExpression(_ rule: JSONValue, _ vars: [String: JSONValue]) -> String? {
        guard let text = rule["messageExpression"]?.stringValue,
              let ast = try? CELRuleCache.parsed(text).ast.get(),
              let value = try? CELEvaluator(variables: vars).eval(ast),
              let s = value.stringValue?.trimmingCharacters(in: .whitespaces),
              !s.isEmpty, !s.contains("\n"), s.utf8.count <= 5 * 1024 else { return nil }
        return s
    }

    private static func recurse(_ value: JSONValue, old: JSONValue?, schema: JSONValue, path: String, errors: inout [FieldError]) {
        switch value {
        case .object(let o):
            let props = schema["properties"]?.objectValue ?? [:]
            let atomic = schema["x-kubernetes-map-type"]?.stringValue == "atomic"
            for k in o.keys.sorted() {
                let sub = props[k] ?? (schema["additionalProperties"]?.objectValue != nil ? schema["additionalProperties"] : nil)
                guard let sub, let v = o[k] else { continue }
                evaluate(v, old: atomic ? nil : old?[k], schema: sub, path: path.isEmpty ? k : "\(path).\(k)", errors: &errors)
            }
        case .array(let a):
            guard let items = schema["items"] else { return }
            let keys = schema["x-kubernetes-list-type"]?.stringValue == "map"
                ? (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue) : []
            let oldItems = old?.arrayValue ?? []
            for (i, v) in a.enumerated() {
                let match = keys.isEmpty ? nil : oldItems.first { o in keys.allSatisfy { o[$0] == v[$0] } }
                evaluate(v, old: match, schema: items, path: "\(path)[\(i)]", errors: &errors)
            }
        default:
            break
        }
    }
}

import KubeAPI

/// Applies `x-kubernetes-validations` found anywhere in a schema to the matching values.
///
/// `self` is the value at the rule's node, `oldSelf` the same node of the stored object; rules
/// that mention `oldSelf` are transition rules and run only on updates where the old value exists.
/// A rule outside the supported subset fails validation with a message saying so (loudly, so a
/// CRD author extends the subset rather than silently losing a check).
enum CELRules {
    static func evaluate(_ value: JSONValue, old: JSONValue?, schema: JSONValue, path: String, errors: inout [FieldError]) {
        for rule in schema["x-kubernetes-validations"]?.arrayValue ?? [] {
            guard let text = rule["rule"]?.stringValue else { continue }
            let transition = text.contains("oldSelf")
            if transition && old == nil { continue }
            // A root rule's fieldPath `.metadata.name` is reported as `metadata.name` (as the real apiserver does).
            let field = rule["fieldPath"]?.stringValue.map { path.isEmpty ? String($0.drop { $0 == "." }) : path + $0 } ?? path
            let shown = invalidValuePrefix(value)
            do {
                let ast = try CELParser.parse(text)
                var vars: [String: JSONValue] = ["self": value]
                if let old { vars["oldSelf"] = old }
                let result = try CELEvaluator(variables: vars).eval(ast)
                if result != .bool(true) {
                    let message = messageExpression(rule, vars) ?? rule["message"]?.stringValue ?? "failed rule: \(text)"
                    errors.append(FieldError(reason: rule["reason"]?.stringValue ?? "FieldValueInvalid", field: field,
                                             message: shown + message))
                }
            } catch let e as CELSyntaxError {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: shown + "rule not supported by the test server (\(e.description)): \(text)"))
            } catch let e as CELEvalError {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: shown + "\(e.message) evaluating rule: \(text)"))
            } catch {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field, message: "\(error)"))
            }
        }
        recurse(value, old: old, schema: schema, path: path, errors: &errors)
    }

    /// A rule's `messageExpression` evaluated to a string, if it has one that evaluates.
    static func messageExpression(_ rule: JSONValue, _ vars: [String: JSONValue]) -> String? {
        guard let text = rule["messageExpression"]?.stringValue,
              let ast = try? CELParser.parse(text),
              let value = try? CELEvaluator(variables: vars).eval(ast) else { return nil }
        return value.stringValue
    }

    private static func recurse(_ value: JSONValue, old: JSONValue?, schema: JSONValue, path: String, errors: inout [FieldError]) {
        switch value {
        case .object(let o):
            let props = schema["properties"]?.objectValue ?? [:]
            for (k, v) in o {
                let sub = props[k] ?? (schema["additionalProperties"]?.objectValue != nil ? schema["additionalProperties"] : nil)
                guard let sub else { continue }
                evaluate(v, old: old?[k], schema: sub, path: path.isEmpty ? k : "\(path).\(k)", errors: &errors)
            }
        case .array(let a):
            guard let items = schema["items"] else { return }
            for (i, v) in a.enumerated() {
                evaluate(v, old: nil, schema: items, path: "\(path)[\(i)]", errors: &errors)
            }
        default:
            break
        }
    }
}

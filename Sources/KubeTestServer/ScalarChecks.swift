import Foundation
import KubeAPI

/// The value-level keywords of a structural schema: bounds, lengths, counts and patterns, with
/// kube-apiserver's error wording.
enum ScalarChecks {
    static func check(_ value: JSONValue, _ schema: CompiledSchema, field: String, errors: inout [FieldError]) {
        switch value {
        case .int, .double:
            let n: Double = { if case .int(let i) = value { return Double(i) }; if case .double(let d) = value { return d }; return 0 }()
            let shown = value.jsonString()
            if let max = schema.maximum {
                let exclusive = schema.exclusiveMaximum
                if exclusive ? n >= max : n > max {
                    errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                             message: "Invalid value: \(shown): \(field) in body should be less than \(exclusive ? "" : "or equal to ")\(format(max))"))
                }
            }
            if let min = schema.minimum {
                let exclusive = schema.exclusiveMinimum
                if exclusive ? n <= min : n < min {
                    errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                             message: "Invalid value: \(shown): \(field) in body should be greater than \(exclusive ? "" : "or equal to ")\(format(min))"))
                }
            }
            if let m = schema.multipleOf, m != 0, (n / m).rounded() != n / m {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \(shown): \(field) in body should be a multiple of \(format(m))"))
            }
        case .string(let s):
            let length = s.count
            if let max = schema.maxLength, length > max {
                errors.append(FieldError(reason: "FieldValueTooLong", field: field,
                                         message: "Too long: may not be more than \(max) bytes"))
            }
            if let min = schema.minLength, length < min {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \"\(s)\": \(field) in body should be at least \(min) chars long"))
            }
            if let pattern = schema.pattern, !matches(s, pattern) {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \"\(s)\": \(field) in body should match '\(pattern)'"))
            }
            if schema.dateTime, KubeTime(rfc3339: s) == nil {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \"\(s)\": \(field) in body must be of type date-time: \"\(s)\""))
            }
        case .array(let a):
            if let max = schema.maxItems, a.count > max {
                errors.append(FieldError(reason: "FieldValueTooMany", field: field,
                                         message: "Too many: \(a.count): must have at most \(max) items"))
            }
            if let min = schema.minItems, a.count < min {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \(a.count): \(field) in body should have at least \(min) items"))
            }
        case .object(let o):
            if let max = schema.maxProperties, o.count > max {
                errors.append(FieldError(reason: "FieldValueTooMany", field: field,
                                         message: "Too many: \(o.count): must have at most \(max) items"))
            }
            if let min = schema.minProperties, o.count < min {
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         message: "Invalid value: \(o.count): \(field) in body should have at least \(min) properties"))
            }
        default:
            break
        }
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        default: nil
        }
    }

    static func format(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// ECMA-262-ish regex match (NSRegularExpression, compiled once per pattern: `PatternCache`),
    /// unanchored like OpenAPI `pattern`; a pattern that does not compile matches nothing.
    static func matches(_ s: String, _ pattern: String) -> Bool {
        guard let re = PatternCache.regex(pattern) else { return false }
        return re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}

import KubeAPI

/// How the apiextensions-apiserver words CEL validation failures (1.35):
/// - a rule on an object or array reports no value: `Invalid value: <message>`;
/// - a rule on a scalar reports the value as JSON: `Invalid value: "b": <message>`;
/// - when the schema validation found a *blocking* error (NotSupported, Required, TooLong, TooMany,
///   TypeInvalid) the rules are not run and one field-less cause says so:
///   `<nil>: Invalid value: null: some validation rules were not checked because the object was
///   invalid; correct the existing errors to complete validation`.
extension CELRules {
    /// `Invalid value: ` (objects, arrays) or `Invalid value: <json>: ` (scalars), to prefix a message.
    static func invalidValuePrefix(_ value: JSONValue) -> String {
        switch value {
        case .object, .array: "Invalid value: "
        default: "Invalid value: \(value.jsonString()): "
        }
    }

    static let blockingReasons: Set<String> = [
        "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid",
    ]

    /// Whether schema errors keep the CEL rules from running.
    static func blocked(by errors: [FieldError]) -> Bool {
        errors.contains { blockingReasons.contains($0.reason) }
    }

    /// Whether `schema` declares `x-kubernetes-validations` anywhere.
    static func hasRules(_ schema: JSONValue) -> Bool {
        switch schema {
        case .object(let o):
            if o["x-kubernetes-validations"]?.arrayValue?.isEmpty == false { return true }
            return o.values.contains(where: hasRules)
        case .array(let a):
            return a.contains(where: hasRules)
        default:
            return false
        }
    }

    static let notCheckedCause = FieldError(
        reason: "FieldValueInvalid", field: "<nil>",
        message: "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
}

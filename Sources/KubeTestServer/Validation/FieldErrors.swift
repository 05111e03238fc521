import KubeAPI

/// The `field.Error` constructors of apimachinery, with their rendering (`Required value: …`,
/// `Forbidden: …`, `Too long: may not be more than N bytes`, `Unsupported value: "x": supported
/// values: "a", "b"`, `Duplicate value: …`).
extension FieldError {
    static func required(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueRequired", field: field, message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
    }

    static func tooLong(_ field: String, _ max: Int) -> FieldError {
        FieldError(reason: "FieldValueTooLong", field: field, message: "Too long: may not be more than \(max) bytes")
    }

    static func notSupported(_ field: String, _ value: JSONValue, _ supported: [String]) -> FieldError {
        FieldError(reason: "FieldValueNotSupported", field: field,
                   message: "Unsupported value: \(value.jsonString()): supported values: "
                       + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(reason: "FieldValueDuplicate", field: field, message: "Duplicate value: \(value.jsonString())")
    }

    /// `Invalid value: "s": detail` for a string value.
    static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        .invalid(field, .string(value), detail)
    }
}

import KubeAPI

/// Structural-schema validation, defaulting and pruning of custom resources (filled in below).
enum SchemaValidation {
    static func apply(schema: JSONValue, to obj: inout JSONValue, old: JSONValue?, strictFields: Bool) -> [FieldError] {
        []
    }
}

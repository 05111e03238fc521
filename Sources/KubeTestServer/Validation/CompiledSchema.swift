import KubeAPI

/// A structural schema node with its keywords read once into stored fields, so that pruning,
/// defaulting and validation (`SchemaValidation`, `ScalarChecks`) do no string-keyed lookups per
/// checked value (`ListTypeValidation` too). Built from any `JSONValue` (a non-object node has no keywords), one per CRD
/// version (`ResourceType.compiledSchema`); immutable afterwards.
///
/// Contract: every field holds exactly what the corresponding `schema[keyword]` accessor chain
/// used to return (`boolValue == true`, `stringValue`, `intValue`, `objectValue`, presence), so a
/// check against the compiled node answers the same as against the `JSONValue` it came from.
final class CompiledSchema: Sendable {
    /// The node as written (for the parts still interpreted from JSON: CEL rules, list types).
    let source: JSONValue
    /// `type` is present (whatever its value).
    let hasType: Bool
    /// `type` as a string.
    let type: String?
    let nullable: Bool
    let intOrString: Bool
    let preserveUnknownFields: Bool
    let embeddedResource: Bool
    let defaultValue: JSONValue?
    let enumValues: [JSONValue]?
    /// The string members of `required`, in order.
    let required: [String]
    /// `properties` (empty when absent or not an object).
    let properties: [String: CompiledSchema]
    /// `additionalProperties` when it is an object (a schema).
    let additionalSchema: CompiledSchema?
    /// `additionalProperties` is present.
    let hasAdditional: Bool
    /// `additionalProperties: true`.
    let additionalTrue: Bool
    /// `items`, present whatever its form.
    let items: CompiledSchema?
    let maximum: Double?
    let exclusiveMaximum: Bool
    let minimum: Double?
    let exclusiveMinimum: Bool
    let multipleOf: Double?
    let maxLength: Int64?
    let minLength: Int64?
    let pattern: String?
    /// `format: date-time`.
    let dateTime: Bool
    let maxItems: Int64?
    let minItems: Int64?
    let maxProperties: Int64?
    let minProperties: Int64?
    /// `x-kubernetes-list-type`.
    let listType: String?
    /// The string members of `x-kubernetes-list-map-keys`, in order.
    let listMapKeys: [String]

    init(_ schema: JSONValue) {
        let o = schema.objectValue ?? [:]
        source = schema
        hasType = o["type"] != nil
        type = o["type"]?.stringValue
        nullable = o["nullable"]?.boolValue == true
        intOrString = o["x-kubernetes-int-or-string"]?.boolValue == true
        preserveUnknownFields = o["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        embeddedResource = o["x-kubernetes-embedded-resource"]?.boolValue == true
        defaultValue = o["default"]
        enumValues = o["enum"]?.arrayValue
        required = (o["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        properties = (o["properties"]?.objectValue ?? [:]).mapValues { CompiledSchema($0) }
        let additional = o["additionalProperties"]
        hasAdditional = additional != nil
        additionalSchema = additional.flatMap { $0.objectValue != nil ? CompiledSchema($0) : nil }
        additionalTrue = additional?.boolValue == true
        items = o["items"].map { CompiledSchema($0) }
        maximum = ScalarChecks.number(o["maximum"])
        exclusiveMaximum = o["exclusiveMaximum"]?.boolValue == true
        minimum = ScalarChecks.number(o["minimum"])
        exclusiveMinimum = o["exclusiveMinimum"]?.boolValue == true
        multipleOf = ScalarChecks.number(o["multipleOf"])
        maxLength = o["maxLength"]?.intValue
        minLength = o["minLength"]?.intValue
        pattern = o["pattern"]?.stringValue
        dateTime = o["format"]?.stringValue == "date-time"
        maxItems = o["maxItems"]?.intValue
        minItems = o["minItems"]?.intValue
        maxProperties = o["maxProperties"]?.intValue
        minProperties = o["minProperties"]?.intValue
        listType = o["x-kubernetes-list-type"]?.stringValue
        listMapKeys = (o["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

import KubeAPI

/// `x-kubernetes-list-type` uniqueness of custom resources (`listtype.ValidateListSetsAndMaps`):
/// a `set` may not repeat an item, a `map` may not repeat a key (a missing key counts as its
/// own value). The duplicate is reported at its index, with the key as JSON
/// (`spec.ports[1]: Duplicate value: {"name":"a"}`).
enum ListTypeValidation {
    static func validate(_ value: JSONValue, _ schema: CompiledSchema, path: String, errors: inout [FieldError]) {
        switch value {
        case .object(let o):
            for k in o.keys.sorted() {
                let sub = schema.properties[k] ?? schema.additionalSchema
                if let sub { validate(o[k]!, sub, path: path.isEmpty ? k : "\(path).\(k)", errors: &errors) }
            }
        case .array(let a):
            switch schema.listType {
            case "set":
                for i in duplicates(a) { errors.append(duplicate("\(path)[\(i)]", a[i])) }
            case "map":
                let keys = schema.listMapKeys
                if let bad = a.firstIndex(where: { $0.objectValue == nil && $0 != .null }) {
                    errors.append(FieldError(reason: "FieldValueInvalid", field: "\(path)[\(bad)]",
                                             message: "Invalid value: \(GoJSON.encode(a[bad])): must be an object for an array of list-type map"))
                    break
                }
                let keyValues: [JSONValue] = a.map { item in
                    var k: [String: JSONValue] = [:]
                    for key in keys { if let v = item[key] { k[key] = v } }
                    return .object(k)
                }
                for i in duplicates(keyValues) { errors.append(duplicate("\(path)[\(i)]", keyValues[i])) }
            default:
                break
            }
            if let items = schema.items {
                for (i, v) in a.enumerated() { validate(v, items, path: "\(path)[\(i)]", errors: &errors) }
            }
        default:
            break
        }
    }

    /// Indices of the second occurrence of each repeated value.
    private static func duplicates(_ items: [JSONValue]) -> [Int] {
        var seen: [JSONValue: Int] = [:]
        var out: [Int] = []
        for (i, x) in items.enumerated() {
            seen[x, default: 0] += 1
            if seen[x] == 2 { out.append(i) }
        }
        return out
    }

    private static func duplicate(_ field: String, _ v: JSONValue) -> FieldError {
        FieldError(reason: "FieldValueDuplicate", field: field, message: "Duplicate value: \(GoJSON.encode(v))")
    }
}

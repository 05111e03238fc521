import KubeAPI

/// CEL values that JSON has no shape for, carried through the evaluator as tagged objects
/// (`{"\u{1}cel": kind, "v": payload}`): durations and timestamps (seconds), quantities
/// (text + numeric value), URLs, named formats, optionals and type values. No custom-resource
/// field can carry the tag key, so tagged values never collide with user data.
enum CELValue {
    static let tag = "\u{1}cel"

    static func make(_ kind: String, _ payload: JSONValue?, extra: [String: JSONValue] = [:]) -> JSONValue {
        var o = extra
        o[tag] = .string(kind)
        if let payload { o["v"] = payload }
        return .object(o)
    }

    static func kind(_ v: JSONValue) -> String? {
        guard case .object(let o) = v, case .string(let k)? = o[tag] else { return nil }
        return k
    }

    static func payload(_ v: JSONValue) -> JSONValue? { v.objectValue?["v"] }

    static func duration(_ seconds: Double) -> JSONValue { make("duration", .double(seconds)) }
    static func timestamp(_ seconds: Double) -> JSONValue { make("timestamp", .double(seconds)) }
    static func type(_ name: String) -> JSONValue { make("type", .string(name)) }
    static func some(_ v: JSONValue) -> JSONValue { make("optional", v) }
    static let none = make("optional", nil)

    /// The seconds of a duration or timestamp of `kind`.
    static func seconds(_ v: JSONValue, kind k: String) -> Double? {
        guard kind(v) == k, case .double(let d)? = payload(v) else { return nil }
        return d
    }

    /// For an optional: `.some(inner)` where inner is nil for `optional.none()`; nil otherwise.
    static func optional(_ v: JSONValue) -> JSONValue?? {
        guard kind(v) == "optional" else { return nil }
        return .some(payload(v))
    }

    /// `x` as an optional (already optional values are kept).
    static func wrapOptional(_ v: JSONValue) -> JSONValue { optional(v) != nil ? v : some(v) }

    /// The CEL type name of a value (`type(x)`).
    static func typeName(_ v: JSONValue) -> String {
        switch kind(v) {
        case "duration": return "google.protobuf.Duration"
        case "timestamp": return "google.protobuf.Timestamp"
        case "quantity": return "kubernetes.Quantity"
        case "url": return "kubernetes.URL"
        case "format": return "kubernetes.NamedFormat"
        case "optional": return "optional_type"
        case "type": return "type"
        default: break
        }
        switch v {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .array: return "list"
        case .object: return "map"
        }
    }

    /// Human form of a value in messages (`string(x)` of durations and timestamps).
    static func text(_ v: JSONValue) -> String? {
        if let s = seconds(v, kind: "duration") { return DurationText.format(s) }
        if let s = seconds(v, kind: "timestamp") { return TimestampText.format(s) }
        return nil
    }
}

import KubeAPI

/// JSON as Go's `encoding/json` writes it inside apiserver messages (`field.Invalid` renders
/// non-scalar values with `json.Marshal`): HTML-safe escapes (`<` → `\u003c`, `>`, `&`), object
/// keys in sorted order, no spaces.
enum GoJSON {
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default:
                if u.value < 0x20 {
                    out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func encode(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double: return v.jsonString()
        case .string(let s): return quote(s)
        case .array(let a): return "[" + a.map(encode).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { quote($0) + ":" + encode(o[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// `field.Invalid`'s rendering of a bad value: scalars plain (strings quoted), the rest as JSON.
    static func shown(_ v: JSONValue) -> String { encode(v) }

    /// The internal `apiextensions.ValidationRule` struct as `json.Marshal` prints it (it has no
    /// JSON tags, so the Go field names appear).
    static func validationRule(_ rule: JSONValue) -> String {
        let reason = rule["reason"]?.stringValue.map(quote) ?? "null"
        let optionalOldSelf = rule["optionalOldSelf"]?.boolValue.map { $0 ? "true" : "false" } ?? "null"
        return "{\"Rule\":\(quote(rule["rule"]?.stringValue ?? "")),\"Message\":\(quote(rule["message"]?.stringValue ?? "")),"
            + "\"MessageExpression\":\(quote(rule["messageExpression"]?.stringValue ?? "")),\"Reason\":\(reason),"
            + "\"FieldPath\":\(quote(rule["fieldPath"]?.stringValue ?? "")),\"OptionalOldSelf\":\(optionalOldSelf)}"
    }
}

import KubeAPI

/// Applies the change between two encodings of a typed model onto the raw object it was decoded
/// from, so fields the model does not know survive a read-modify-write.
///
/// Rules (JSON merge patch semantics, extended for arrays):
/// - equal `before`/`after`: the raw value is kept untouched;
/// - objects: members removed in `after` are removed, changed members recurse, new ones are added;
/// - arrays of equal length in `before`, `after` and `raw`: element-wise, so unknown fields inside
///   list items (containers, conditions, rules) survive; arrays that changed length are replaced
///   by `after` (unknown fields of their items are then lost — the model must know them);
/// - anything else: `after` replaces.
public enum RawMerge {
    public static func apply(raw: JSONValue, before: JSONValue, after: JSONValue) -> JSONValue {
        if before == after { return raw }
        switch (raw, before, after) {
        case (.object(var r), .object(let b), .object(let a)):
            for key in b.keys where a[key] == nil { r.removeValue(forKey: key) }
            for (key, value) in a {
                if let old = b[key] {
                    r[key] = apply(raw: r[key] ?? .null, before: old, after: value)
                } else {
                    r[key] = value
                }
            }
            return .object(r)
        case (.array(let r), .array(let b), .array(let a)) where r.count == b.count && b.count == a.count:
            return .array((0..<a.count).map { apply(raw: r[$0], before: b[$0], after: a[$0]) })
        default:
            return after
        }
    }
}

/// JSON Merge Patch (RFC 7386): apply a patch, and compute the patch that turns one document into another.
extension JSONValue {
    /// Applies `patch` to `self` per RFC 7386: objects merge recursively, `null` removes a member,
    /// anything else (including arrays) replaces.
    public func applyingMergePatch(_ patch: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var target = objectValue ?? [:]
        for (key, value) in p {
            if value == .null {
                target.removeValue(forKey: key)
            } else {
                target[key] = (target[key] ?? .null).applyingMergePatch(value)
            }
        }
        return .object(target)
    }

    /// The merge patch that turns `old` into `new` (`nil` when they are equal).
    ///
    /// Arrays are replaced whole, as RFC 7386 requires; `null` values inside `new` objects cannot
    /// be expressed and are dropped.
    public static func mergePatch(from old: JSONValue, to new: JSONValue) -> JSONValue? {
        if old == new { return nil }
        guard case .object(let o) = old, case .object(let n) = new else { return new }
        var patch: [String: JSONValue] = [:]
        for (key, _) in o where n[key] == nil { patch[key] = .null }
        for (key, value) in n {
            if let before = o[key] {
                if let d = mergePatch(from: before, to: value) { patch[key] = d }
            } else {
                patch[key] = value
            }
        }
        return patch.isEmpty ? nil : .object(patch)
    }
}

/// JSON Patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy` and `test`, with JSON Pointers
/// (RFC 6901, `~0`/`~1` escapes, `-` for appending to an array).
///
/// Contract: a patch applies atomically — any failing operation (a missing path, a failed `test`,
/// an out-of-range index, a malformed operation) throws and nothing is changed.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

extension JSONValue {
    /// Applies an RFC 6902 patch document (a JSON array of operations) to `self`.
    public func applyingJSONPatch(_ patch: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard let ops = patch.arrayValue else { throw JSONPatchError("a JSON patch must be an array of operations") }
        var doc = self
        for (i, op) in ops.enumerated() {
            guard let name = op["op"]?.stringValue else { throw JSONPatchError("operation \(i): missing \"op\"") }
            guard let pathText = op["path"]?.stringValue else { throw JSONPatchError("operation \(i): missing \"path\"") }
            let path = try JSONValue.pointer(pathText)
            switch name {
            case "add":
                guard let value = op["value"] else { throw JSONPatchError("operation \(i): add needs \"value\"") }
                try doc.insert(value, at: path[...], replacing: false)
            case "remove":
                _ = try doc.remove(at: path[...])
            case "replace":
                guard let value = op["value"] else { throw JSONPatchError("operation \(i): replace needs \"value\"") }
                _ = try doc.remove(at: path[...])
                try doc.insert(value, at: path[...], replacing: false)
            case "move", "copy":
                guard let fromText = op["from"]?.stringValue else { throw JSONPatchError("operation \(i): \(name) needs \"from\"") }
                let from = try JSONValue.pointer(fromText)
                if name == "move" && path.count > from.count && Array(path.prefix(from.count)) == from {
                    throw JSONPatchError("operation \(i): cannot move \(fromText) into its own child \(pathText)")
                }
                guard let value = doc.value(at: from) else { throw JSONPatchError("operation \(i): \"from\" path \(fromText) does not exist") }
                if name == "move" { _ = try doc.remove(at: from[...]) }
                try doc.insert(value, at: path[...], replacing: false)
            case "test":
                guard let expected = op["value"] else { throw JSONPatchError("operation \(i): test needs \"value\"") }
                guard doc.value(at: path) == expected else {
                    throw JSONPatchError("testing value \(pathText) failed")
                }
            default:
                throw JSONPatchError("operation \(i): unknown op \"\(name)\"")
            }
        }
        return doc
    }

    /// Parses a JSON Pointer into reference tokens.
    static func pointer(_ text: String) throws(JSONPatchError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw JSONPatchError("invalid JSON pointer \"\(text)\": must start with /") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    /// The value at a pointer, or nil.
    public func value(at path: [String]) -> JSONValue? {
        var current = self
        for token in path {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = Int(token), i >= 0, i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    private mutating func insert(_ value: JSONValue, at path: ArraySlice<String>, replacing: Bool) throws(JSONPatchError) {
        guard let token = path.first else {
            self = value
            return
        }
        let rest = path.dropFirst()
        switch self {
        case .object(var o):
            if rest.isEmpty {
                o[token] = value
            } else {
                guard var child = o[token] else { throw JSONPatchError("path /\(path.joined(separator: "/")) does not exist") }
                try child.insert(value, at: rest, replacing: replacing)
                o[token] = child
            }
            self = .object(o)
        case .array(var a):
            if rest.isEmpty {
                if token == "-" { a.append(value) } else {
                    guard let i = Int(token), i >= 0, i <= a.count else { throw JSONPatchError("array index \(token) out of range") }
                    a.insert(value, at: i)
                }
            } else {
                guard let i = Int(token), i >= 0, i < a.count else { throw JSONPatchError("array index \(token) out of range") }
                try a[i].insert(value, at: rest, replacing: replacing)
            }
            self = .array(a)
        default:
            throw JSONPatchError("cannot add to a non-container value at \(token)")
        }
    }

    private mutating func remove(at path: ArraySlice<String>) throws(JSONPatchError) -> JSONValue {
        guard let token = path.first else { throw JSONPatchError("cannot remove the whole document") }
        let rest = path.dropFirst()
        switch self {
        case .object(var o):
            guard var child = o[token] else { throw JSONPatchError("path /\(path.joined(separator: "/")) does not exist") }
            if rest.isEmpty {
                o.removeValue(forKey: token)
                self = .object(o)
                return child
            }
            let removed = try child.remove(at: rest)
            o[token] = child
            self = .object(o)
            return removed
        case .array(var a):
            guard let i = Int(token), i >= 0, i < a.count else { throw JSONPatchError("array index \(token) out of range") }
            if rest.isEmpty {
                let removed = a.remove(at: i)
                self = .array(a)
                return removed
            }
            let removed = try a[i].remove(at: rest)
            self = .array(a)
            return removed
        default:
            throw JSONPatchError("path /\(path.joined(separator: "/")) does not exist")
        }
    }
}

import YAML

/// Reads typed values out of a YAML tree, collecting every error with its position and key path
/// rather than stopping at the first. Null values (`key:` with nothing after it) mean "default".
struct ConfigReader {
    let file: String
    var errors: [ConfigError] = []

    init(file: String) { self.file = file }

    mutating func fail(_ node: YAMLNode, _ path: String, _ message: String) {
        errors.append(ConfigError(file: file, line: node.mark.line, column: node.mark.column, path: path, message: message))
    }

    /// The pairs of a mapping node read at `path`; reports a non-mapping. `nil` for null/invalid.
    mutating func mapping(_ node: YAMLNode, _ path: String) -> [YAMLNode.Pair]? {
        if node.isNull { return nil }
        guard let pairs = node.pairs else {
            fail(node, path, "expected a mapping, got a \(node.kindDescription)")
            return nil
        }
        return pairs
    }

    /// Reads a fixed-key mapping: calls `read` with each known key's value; unknown keys are
    /// errors with a "did you mean" for near misses.
    mutating func section(_ node: YAMLNode, _ path: String, keys: [String],
                          _ read: (inout ConfigReader, String, YAMLNode, String) -> Void) {
        guard let pairs = mapping(node, path) else { return }
        for pair in pairs {
            guard let key = pair.key.scalar else {
                fail(pair.key, path, "keys must be scalars")
                continue
            }
            let sub = path.isEmpty ? key : "\(path).\(key)"
            guard keys.contains(key) else {
                unknownKey(pair.key, sub, key, keys)
                continue
            }
            if pair.value.isNull { continue }
            read(&self, key, pair.value, sub)
        }
    }

    mutating func unknownKey(_ node: YAMLNode, _ path: String, _ key: String, _ keys: [String]) {
        let hint = NearMiss.suggestion(for: key, among: keys).map { " (did you mean \"\($0)\"?)" } ?? ""
        fail(node, path, "unknown key \"\(key)\"\(hint)")
    }

    mutating func string(_ node: YAMLNode, _ path: String) -> String? {
        guard let s = node.scalar, !node.isNull else {
            fail(node, path, "expected a string, got a \(node.kindDescription)")
            return nil
        }
        return s
    }

    mutating func int(_ node: YAMLNode, _ path: String, min: Int, max: Int = Int(Int32.max)) -> Int? {
        guard let v = node.int else {
            fail(node, path, "expected an integer, got \(node.scalar.map { "\"\($0)\"" } ?? "a \(node.kindDescription)")")
            return nil
        }
        guard v >= Int64(min), v <= Int64(max) else {
            fail(node, path, v < Int64(min) ? "must be at least \(min), got \(v)" : "must be at most \(max), got \(v)")
            return nil
        }
        return Int(v)
    }

    /// A duration (`90s`, `15m`, `24h`, `3d`, `1h30m`) greater than zero.
    mutating func duration(_ node: YAMLNode, _ path: String) -> RunDuration? {
        guard let s = string(node, path) else { return nil }
        guard let d = RunDuration.parse(s) else {
            fail(node, path, "invalid duration \"\(s)\" (want a number and a unit s, m, h or d, e.g. 90s, 15m, 24h, 3d)")
            return nil
        }
        guard d.seconds > 0 else {
            fail(node, path, "must be greater than zero")
            return nil
        }
        return d
    }

    mutating func oneOf<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ path: String, _ type: E.Type) -> E?
    where E.RawValue == String {
        guard let s = string(node, path) else { return nil }
        if let v = E(rawValue: s) { return v }
        let all = E.allCases.map(\.rawValue)
        let hint = NearMiss.suggestion(for: s, among: all).map { " (did you mean \"\($0)\"?)" } ?? ""
        fail(node, path, "must be one of \(all.joined(separator: ", ")), got \"\(s)\"\(hint)")
        return nil
    }

    /// A sequence; each item is read by `item` (nil results are dropped, having reported).
    mutating func list<T>(_ node: YAMLNode, _ path: String, _ item: (inout ConfigReader, YAMLNode, String) -> T?) -> [T]? {
        guard let items = node.items else {
            fail(node, path, "expected a sequence, got a \(node.kindDescription)")
            return nil
        }
        var out: [T] = []
        let before = errors.count
        for (i, n) in items.enumerated() {
            if let v = item(&self, n, "\(path)[\(i)]") { out.append(v) }
        }
        return errors.count == before ? out : nil
    }

    /// A mapping of resource names to quantities (`cpu: 500m`, `memory: 2Gi`).
    mutating func quantities(_ node: YAMLNode, _ path: String) -> [String: String]? {
        guard let pairs = mapping(node, path) else { return node.isNull ? [:] : nil }
        var out: [String: String] = [:]
        let before = errors.count
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            let sub = "\(path).\(key)"
            guard let text = pair.value.scalar, !pair.value.isNull else {
                fail(pair.value, sub, "expected a quantity, got a \(pair.value.kindDescription)")
                continue
            }
            guard Quantity.isValid(text) else {
                fail(pair.value, sub, "invalid quantity \"\(text)\" (e.g. 500m, 2, 1Gi)")
                continue
            }
            out[key] = text
        }
        return errors.count == before ? out : nil
    }

    /// A mapping keyed by the raw values of `K` (stages, roles); unknown keys get "did you mean".
    mutating func keyed<K: RawRepresentable & CaseIterable & Hashable, V>(
        _ node: YAMLNode, _ path: String, _ keyType: K.Type, _ value: (inout ConfigReader, YAMLNode, String) -> V?
    ) -> [K: V]? where K.RawValue == String {
        guard let pairs = mapping(node, path) else { return node.isNull ? [:] : nil }
        var out: [K: V] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            let sub = "\(path).\(key)"
            guard let k = K(rawValue: key) else {
                unknownKey(pair.key, sub, key, K.allCases.map(\.rawValue))
                continue
            }
            if let v = value(&self, pair.value, sub) { out[k] = v }
        }
        return out
    }
}

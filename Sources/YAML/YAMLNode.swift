/// A position in a YAML source, 1-based, as editors show it.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}

/// A parsed YAML node with the position it started at.
///
/// Contract: the tree is a faithful, order-preserving view of one YAML document. Aliases are
/// resolved (an alias node is a copy of its anchored node), tags other than the core ones are kept
/// as text in `tag`, and scalars stay text: interpretation (`true`, `3`, `null`) happens in the
/// accessors, so a config reader can say precisely which value at which line was wrong.
public struct YAMLNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// A scalar's text; `plain` is false for quoted and block scalars (`"true"` is a string).
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        /// Key/value pairs in document order; keys are nodes so they carry marks too.
        case mapping([Pair])
    }

    public struct Pair: Sendable, Hashable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var value: Value
    public var mark: YAMLMark
    public var tag: String?

    public init(_ value: Value, mark: YAMLMark, tag: String? = nil) {
        self.value = value
        self.mark = mark
        self.tag = tag
    }
}

extension YAMLNode {
    /// The text of a scalar, `nil` for collections.
    public var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }

    /// True for an explicit or implicit null (`~`, `null`, empty plain scalar).
    public var isNull: Bool {
        if case .scalar(let s, let plain) = value, plain {
            return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
        }
        return tag == "tag:yaml.org,2002:null"
    }

    /// The pairs of a mapping, `nil` otherwise.
    public var pairs: [Pair]? {
        if case .mapping(let p) = value { return p }
        return nil
    }

    /// The items of a sequence, `nil` otherwise.
    public var items: [YAMLNode]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    /// The value of the first pair whose key is the scalar `key` (YAML forbids duplicates; the
    /// parser reports them), `nil` when absent or when this node is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first(where: { $0.key.scalar == key })?.value
    }

    /// A YAML 1.2 core-schema boolean (`true`/`false` in any common case); `nil` otherwise.
    public var bool: Bool? {
        guard case .scalar(let s, let plain) = value, plain else { return nil }
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// A core-schema integer (decimal, `0x` hex, `0o` octal, optional sign); `nil` otherwise.
    public var int: Int64? {
        guard case .scalar(let s, let plain) = value, plain else { return nil }
        var text = Substring(s)
        var negative = false
        if let f = text.first, f == "-" || f == "+" {
            negative = f == "-"
            text = text.dropFirst()
        }
        let magnitude: Int64?
        if text.hasPrefix("0x") {
            magnitude = Int64(text.dropFirst(2), radix: 16)
        } else if text.hasPrefix("0o") {
            magnitude = Int64(text.dropFirst(2), radix: 8)
        } else {
            magnitude = text.allSatisfy(\.isASCII) ? Int64(text) : nil
        }
        guard let m = magnitude else { return nil }
        return negative ? -m : m
    }

    /// A core-schema float (also accepts integers); `nil` otherwise.
    public var double: Double? {
        guard case .scalar(let s, let plain) = value, plain else { return nil }
        switch s {
        case ".inf", ".Inf", ".INF", "+.inf": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return int.map(Double.init) ?? Double(s)
        }
    }

    /// A short name of the node's shape for error messages.
    public var kindDescription: String {
        switch value {
        case .scalar: isNull ? "null" : "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }
}

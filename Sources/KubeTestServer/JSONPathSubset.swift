import KubeAPI

/// The JSONPath subset used by printer columns: `.a.b`, `.a[0]`, `.a[*].b`, `.a['k.with.dots']`,
/// and one equality filter per step, `.conditions[?(@.type=="Ready")].status`.
/// Anything else evaluates to no result (a `<none>` cell), never to an error.
struct JSONPathSubset: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case all
        case filter(path: [String], value: String)
    }

    let steps: [Step]

    init(_ text: String) {
        var s = text.trimmingSpaces()
        if s.hasPrefix("{") && s.hasSuffix("}") { s = String(s.dropFirst().dropLast()) }
        if s.hasPrefix("$") { s.removeFirst() }
        var steps: [Step] = []
        var chars = Substring(s)
        while let c = chars.first {
            if c == "." {
                chars = chars.dropFirst()
                let key = chars.prefix { $0 != "." && $0 != "[" }
                if !key.isEmpty { steps.append(.key(String(key))) }
                chars = chars.dropFirst(key.count)
            } else if c == "[" {
                guard let close = chars.firstIndex(of: "]") else { break }
                var inner = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let i = Int(inner) {
                    steps.append(.index(i))
                } else if inner.hasPrefix("?(@.") && inner.hasSuffix(")") {
                    inner = String(inner.dropFirst(4).dropLast())
                    let parts = inner.components(separatedBy: "==")
                    if parts.count == 2 {
                        let path = parts[0].trimmingSpaces().split(separator: ".").map(String.init)
                        var v = parts[1].trimmingSpaces()
                        if (v.hasPrefix("\"") && v.hasSuffix("\"")) || (v.hasPrefix("'") && v.hasSuffix("'")) {
                            v = String(v.dropFirst().dropLast())
                        }
                        steps.append(.filter(path: path, value: v))
                    }
                } else if (inner.hasPrefix("'") && inner.hasSuffix("'")) || (inner.hasPrefix("\"") && inner.hasSuffix("\"")) {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                }
            } else {
                let key = chars.prefix { $0 != "." && $0 != "[" }
                steps.append(.key(String(key)))
                chars = chars.dropFirst(key.count)
            }
        }
        self.steps = steps
    }

    /// All values the path selects, in document order.
    func evaluate(_ value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .key(let k): if let x = v[k] { next.append(x) }
                case .index(let i):
                    if let a = v.arrayValue {
                        let j = i < 0 ? a.count + i : i
                        if j >= 0 && j < a.count { next.append(a[j]) }
                    }
                case .all:
                    if let a = v.arrayValue { next += a } else if let o = v.objectValue { next += o.keys.sorted().map { o[$0]! } }
                case .filter(let path, let expected):
                    for item in v.arrayValue ?? [] where JSONPathSubset.text(item[path: path]) == expected {
                        next.append(item)
                    }
                }
            }
            current = next
        }
        return current
    }

    /// A value as kubectl's JSONPath printer shows it (strings bare, other values as JSON).
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        case let v?: return v.jsonString()
        }
    }
}

import KubeAPI

/// A parsed CEL expression (the subset documented in docs/testserver.md).
indirect enum CELNode: Sendable, Hashable {
    case literal(JSONValue)
    case ident(String)
    case list([CELNode])
    case member(CELNode, String)
    case index(CELNode, CELNode)
    case call(target: CELNode?, name: String, args: [CELNode])
    case unary(String, CELNode)
    case binary(String, CELNode, CELNode)
    case ternary(CELNode, CELNode, CELNode)
}

struct CELSyntaxError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Recursive-descent parser for the CEL subset: literals, identifiers, member/index access,
/// function and method calls, `! - * / % + - < <= > >= == != in && || ?:`, lists.
struct CELParser {
    enum Token: Hashable {
        case number(JSONValue), string(String), ident(String), op(String), end
    }

    private var tokens: [Token]
    private var pos = 0

    static func parse(_ text: String) throws(CELSyntaxError) -> CELNode {
        var p = CELParser(tokens: try lex(text))
        let node = try p.expression()
        guard p.peek == .end else { throw CELSyntaxError(description: "unexpected \(p.peek) in \(text)") }
        return node
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    private var peek: Token { tokens[pos] }
    private mutating func next() -> Token { defer { pos += 1 }; return tokens[pos] }
    private mutating func accept(_ op: String) -> Bool {
        if peek == .op(op) { pos += 1; return true }
        return false
    }
    private mutating func expect(_ op: String) throws(CELSyntaxError) {
        guard accept(op) else { throw CELSyntaxError(description: "expected \(op), found \(peek)") }
    }

    private mutating func expression() throws(CELSyntaxError) -> CELNode {
        let cond = try binary(0)
        if accept("?") {
            let a = try expression()
            try expect(":")
            let b = try expression()
            return .ternary(cond, a, b)
        }
        return cond
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"], ["*", "/", "%"]]

    private mutating func binary(_ level: Int) throws(CELSyntaxError) -> CELNode {
        if level == Self.levels.count { return try unary() }
        var left = try binary(level + 1)
        while case .op(let op) = peek, Self.levels[level].contains(op) {
            pos += 1
            left = .binary(op, left, try binary(level + 1))
        }
        return left
    }

    private mutating func unary() throws(CELSyntaxError) -> CELNode {
        if accept("!") { return .unary("!", try unary()) }
        if accept("-") { return .unary("-", try unary()) }
        return try postfix()
    }

    private mutating func postfix() throws(CELSyntaxError) -> CELNode {
        var node = try primary()
        while true {
            if accept(".") {
                guard case .ident(let name) = next() else { throw CELSyntaxError(description: "expected a name after .") }
                if accept("(") {
                    node = .call(target: node, name: name, args: try arguments())
                } else {
                    node = .member(node, name)
                }
            } else if accept("[") {
                let i = try expression()
                try expect("]")
                node = .index(node, i)
            } else {
                return node
            }
        }
    }

    private mutating func arguments() throws(CELSyntaxError) -> [CELNode] {
        var args: [CELNode] = []
        if accept(")") { return args }
        repeat { args.append(try expression()) } while accept(",")
        try expect(")")
        return args
    }

    private mutating func primary() throws(CELSyntaxError) -> CELNode {
        switch next() {
        case .number(let n): return .literal(n)
        case .string(let s): return .literal(.string(s))
        case .ident("true"): return .literal(.bool(true))
        case .ident("false"): return .literal(.bool(false))
        case .ident("null"): return .literal(.null)
        case .ident(let name):
            if accept("(") { return .call(target: nil, name: name, args: try arguments()) }
            return .ident(name)
        case .op("("):
            let e = try expression()
            try expect(")")
            return e
        case .op("["):
            var items: [CELNode] = []
            if !accept("]") {
                repeat { items.append(try expression()) } while accept(",")
                try expect("]")
            }
            return .list(items)
        case let t:
            throw CELSyntaxError(description: "unexpected \(t)")
        }
    }

    static func lex(_ text: String) throws(CELSyntaxError) -> [Token] {
        var out: [Token] = []
        let c = Array(text.unicodeScalars)
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" { i += 1; continue }
            if ch.properties.isAlphabetic || ch == "_" {
                var j = i
                while j < c.count, c[j].properties.isAlphabetic || c[j] == "_" || ("0"..."9").contains(c[j]) { j += 1 }
                out.append(.ident(String(String.UnicodeScalarView(c[i..<j]))))
                i = j
            } else if ("0"..."9").contains(ch) {
                var j = i
                var isDouble = false
                while j < c.count, ("0"..."9").contains(c[j]) || (c[j] == "." && j + 1 < c.count && ("0"..."9").contains(c[j + 1])) {
                    if c[j] == "." { isDouble = true }
                    j += 1
                }
                let s = String(String.UnicodeScalarView(c[i..<j]))
                if j < c.count, c[j] == "u" { j += 1 }
                out.append(.number(isDouble ? .double(Double(s) ?? 0) : .int(Int64(s) ?? 0)))
                i = j
            } else if ch == "'" || ch == "\"" {
                var j = i + 1
                var s = ""
                while j < c.count, c[j] != ch {
                    if c[j] == "\\", j + 1 < c.count {
                        j += 1
                        switch c[j] { case "n": s += "\n"; case "t": s += "\t"; default: s.unicodeScalars.append(c[j]) }
                    } else {
                        s.unicodeScalars.append(c[j])
                    }
                    j += 1
                }
                guard j < c.count else { throw CELSyntaxError(description: "unterminated string") }
                out.append(.string(s))
                i = j + 1
            } else {
                let two = i + 1 < c.count ? String(String.UnicodeScalarView([ch, c[i + 1]])) : ""
                if ["&&", "||", "==", "!=", "<=", ">="].contains(two) {
                    out.append(.op(two)); i += 2
                } else if "!<>+-*/%?:.,()[]".unicodeScalars.contains(ch) {
                    out.append(.op(String(ch))); i += 1
                } else {
                    throw CELSyntaxError(description: "unexpected character '\(ch)'")
                }
            }
        }
        out.append(.end)
        return out.map { if case .ident("in") = $0 { return .op("in") }; return $0 }
    }
}

import Foundation
import KubeAPI

/// A parsed CEL expression. `.at(offset, node)` records where a node starts in the source (the
/// operator, `.`, `(` or `[` for calls, selections and indexes, as cel-go does), so the checker
/// can report `<input>:line:column` like the real apiserver; the evaluator looks through it.
indirect enum CELNode: Sendable, Hashable {
    case literal(JSONValue)
    case uintLiteral(UInt64)
    case bytesLiteral(String)
    case ident(String)
    case list([CELNode])
    case map(keys: [CELNode], values: [CELNode])
    /// `a.b`, or `a.?b` (optional selection) when `optional`.
    case member(CELNode, String, optional: Bool)
    /// `a[b]`, or `a[?b]` when `optional`.
    case index(CELNode, CELNode, optional: Bool)
    case call(target: CELNode?, name: String, args: [CELNode])
    case unary(String, CELNode)
    case binary(String, CELNode, CELNode)
    case ternary(CELNode, CELNode, CELNode)
    case at(Int, CELNode)

    /// The node without its position wrapper(s).
    var bare: CELNode {
        if case .at(_, let n) = self { return n.bare }
        return self
    }

    /// The source offset of this node (0 when unknown).
    var offset: Int {
        if case .at(let o, _) = self { return o }
        return 0
    }
}

/// A syntax error at a source offset.
struct CELSyntaxError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { message }
}

/// Recursive-descent parser for CEL's grammar (cel-spec `CEL.g4`): literals, identifiers,
/// member/index access (also `.?` and `[?`), global and receiver calls, list and map literals,
/// `! - * / % + - < <= > >= == != in && || ?:`.
struct CELParser {
    typealias Token = CELToken

    private var tokens: [Token]
    private var pos = 0

    static func parse(_ text: String) throws(CELSyntaxError) -> CELNode {
        var p = CELParser(tokens: try CELLexer.lex(text))
        let node = try p.expression()
        guard p.peek.kind == .end else { throw p.unexpected() }
        return node
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    private var peek: Token { tokens[pos] }
    private mutating func next() -> Token { defer { pos += 1 }; return tokens[pos] }
    private mutating func accept(_ op: String) -> Token? {
        if peek.kind == .op(op) { pos += 1; return tokens[pos - 1] }
        return nil
    }
    private mutating func expect(_ op: String) throws(CELSyntaxError) {
        guard accept(op) != nil else { throw unexpected(expecting: "'\(op)'") }
    }

    private func unexpected(expecting: String? = nil) -> CELSyntaxError {
        let shown: String
        switch peek.kind {
        case .end: shown = "<EOF>"
        case .op(let o): shown = o
        case .ident(let i): shown = i
        case .string(let s), .bytes(let s): shown = "'\(s)'"
        case .number(let n): shown = n.jsonString()
        case .uint(let u): shown = "\(u)u"
        }
        let tail = expecting.map { " expecting \($0)" } ?? ""
        return CELSyntaxError(offset: peek.offset, message: "Syntax error: mismatched input '\(shown)'\(tail)")
    }

    private mutating func expression() throws(CELSyntaxError) -> CELNode {
        let cond = try binary(0)
        if let q = accept("?") {
            let a = try binary(0)
            try expect(":")
            let b = try expression()
            return .at(q.offset, .ternary(cond, a, b))
        }
        return cond
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"], ["*", "/", "%"]]

    private mutating func binary(_ level: Int) throws(CELSyntaxError) -> CELNode {
        if level == Self.levels.count { return try unary() }
        var left = try binary(level + 1)
        while case .op(let op) = peek.kind, Self.levels[level].contains(op) {
            let at = next().offset
            left = .at(at, .binary(op, left, try binary(level + 1)))
        }
        return left
    }

    private mutating func unary() throws(CELSyntaxError) -> CELNode {
        if let t = accept("!") { return .at(t.offset, .unary("!", try unary())) }
        if let t = accept("-") {
            if case .number(let n) = peek.kind {
                pos += 1
                let negated: JSONValue = switch n { case .int(let i): .int(-i); case .double(let d): .double(-d); default: n }
                return try postfix(.at(t.offset, .literal(negated)))
            }
            return .at(t.offset, .unary("-", try unary()))
        }
        return try postfix(try primary())
    }

    private mutating func postfix(_ start: CELNode) throws(CELSyntaxError) -> CELNode {
        var node = start
        while true {
            if let dot = accept(".") {
                let optional = accept("?") != nil
                guard case .ident(let name) = peek.kind else { throw unexpected(expecting: "IDENTIFIER") }
                pos += 1
                if !optional, let open = accept("(") {
                    node = .at(open.offset, .call(target: node, name: name, args: try arguments()))
                } else {
                    node = .at(dot.offset, .member(node, name, optional: optional))
                }
            } else if let open = accept("[") {
                let optional = accept("?") != nil
                let i = try expression()
                try expect("]")
                node = .at(open.offset, .index(node, i, optional: optional))
            } else {
                return node
            }
        }
    }

    private mutating func arguments() throws(CELSyntaxError) -> [CELNode] {
        var args: [CELNode] = []
        if accept(")") != nil { return args }
        repeat { args.append(try expression()) } while accept(",") != nil
        try expect(")")
        return args
    }

    private mutating func primary() throws(CELSyntaxError) -> CELNode {
        let t = peek
        switch t.kind {
        case .number(let n): pos += 1; return .at(t.offset, .literal(n))
        case .uint(let u): pos += 1; return .at(t.offset, .uintLiteral(u))
        case .string(let s): pos += 1; return .at(t.offset, .literal(.string(s)))
        case .bytes(let s): pos += 1; return .at(t.offset, .bytesLiteral(s))
        case .ident("true"): pos += 1; return .at(t.offset, .literal(.bool(true)))
        case .ident("false"): pos += 1; return .at(t.offset, .literal(.bool(false)))
        case .ident("null"): pos += 1; return .at(t.offset, .literal(.null))
        case .ident(let name):
            pos += 1
            if let open = accept("(") { return .at(open.offset, .call(target: nil, name: name, args: try arguments())) }
            return .at(t.offset, .ident(name))
        case .op("("):
            pos += 1
            let e = try expression()
            try expect(")")
            return e
        case .op("["):
            pos += 1
            var items: [CELNode] = []
            while accept("]") == nil {
                items.append(try expression())
                if accept(",") == nil { try expect("]"); break }
            }
            return .at(t.offset, .list(items))
        case .op("{"):
            pos += 1
            var keys: [CELNode] = [], values: [CELNode] = []
            while accept("}") == nil {
                keys.append(try expression())
                try expect(":")
                values.append(try expression())
                if accept(",") == nil { try expect("}"); break }
            }
            return .at(t.offset, .map(keys: keys, values: values))
        default:
            throw unexpected()
        }
    }

    /// cel-go's rendering of an error at `offset` of `source`: `ERROR: <input>:line:col: message`,
    /// then the source line and a caret under the column.
    static func display(_ source: String, offset: Int, message: String) -> String {
        let scalars = Array(source.unicodeScalars)
        var line = 1, lineStart = 0
        for i in 0..<min(offset, scalars.count) where scalars[i] == "\n" {
            line += 1
            lineStart = i + 1
        }
        var lineEnd = lineStart
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        let column = offset - lineStart
        let snippet = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd])).replacingOccurrences(of: "\t", with: " ")
        var caret = ""
        for s in scalars[lineStart..<min(lineStart + column, lineEnd)] { caret += s.value > 0x7f ? "\u{ff0e}" : "." }
        caret += offset < scalars.count && scalars[offset].value > 0x7f ? "\u{ff3e}" : "^"
        return "ERROR: <input>:\(line):\(column + 1): \(message)\n | \(snippet)\n | \(caret)"
    }
}

import KubeAPI

/// Tokens of a CEL expression, each with its offset (in Unicode scalars, like cel-go's columns).
struct CELToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case number(JSONValue), uint(UInt64), string(String), bytes(String), ident(String), op(String), end
    }
    var kind: Kind
    var offset: Int
}

/// Splits CEL source into tokens: identifiers, int/uint/double literals (decimal and hex), quoted,
/// raw (`r'…'`), triple-quoted and bytes (`b'…'`) strings, and the operators of the grammar.
enum CELLexer {
    static func lex(_ text: String) throws(CELSyntaxError) -> [CELToken] {
        var out: [CELToken] = []
        let c = Array(text.unicodeScalars)
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < c.count && ("0"..."9").contains(c[j]) }
        while i < c.count {
            let ch = c[i]
            if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" { i += 1; continue }
            if ch == "/", i + 1 < c.count, c[i + 1] == "/" {
                while i < c.count, c[i] != "\n" { i += 1 }
                continue
            }
            let start = i
            let quotePrefix = (ch == "r" || ch == "R" || ch == "b" || ch == "B") && i + 1 < c.count && (c[i + 1] == "'" || c[i + 1] == "\"")
            if (ch.properties.isAlphabetic || ch == "_") && !quotePrefix {
                var j = i
                while j < c.count, c[j].properties.isAlphabetic || c[j] == "_" || ("0"..."9").contains(c[j]) { j += 1 }
                let word = String(String.UnicodeScalarView(c[i..<j]))
                out.append(CELToken(kind: word == "in" ? .op("in") : .ident(word), offset: start))
                i = j
            } else if isDigit(i) || (ch == "." && isDigit(i + 1)) {
                var j = i
                if ch == "0", j + 1 < c.count, c[j + 1] == "x" || c[j + 1] == "X" {
                    j += 2
                    while j < c.count, c[j].properties.isASCIIHexDigit { j += 1 }
                    let hex = String(String.UnicodeScalarView(c[(i + 2)..<j]))
                    if j < c.count, c[j] == "u" || c[j] == "U" {
                        out.append(CELToken(kind: .uint(UInt64(hex, radix: 16) ?? 0), offset: start)); i = j + 1
                    } else {
                        out.append(CELToken(kind: .number(.int(Int64(hex, radix: 16) ?? 0)), offset: start)); i = j
                    }
                    continue
                }
                var isDouble = false
                while isDigit(j) { j += 1 }
                if j < c.count, c[j] == ".", isDigit(j + 1) { isDouble = true; j += 1; while isDigit(j) { j += 1 } }
                if j < c.count, c[j] == "e" || c[j] == "E" {
                    var k = j + 1
                    if k < c.count, c[k] == "+" || c[k] == "-" { k += 1 }
                    if isDigit(k) { isDouble = true; j = k; while isDigit(j) { j += 1 } }
                }
                let s = String(String.UnicodeScalarView(c[i..<j]))
                if !isDouble, j < c.count, c[j] == "u" || c[j] == "U" {
                    out.append(CELToken(kind: .uint(UInt64(s) ?? 0), offset: start)); i = j + 1
                } else {
                    guard isDouble || Int64(s) != nil else {
                        throw CELSyntaxError(offset: start, message: "invalid int literal")
                    }
                    out.append(CELToken(kind: .number(isDouble ? .double(Double(s) ?? 0) : .int(Int64(s)!)), offset: start))
                    i = j
                }
            } else if ch == "'" || ch == "\"" || quotePrefix {
                var raw = false, bytes = false
                var j = i
                if quotePrefix { raw = ch == "r" || ch == "R"; bytes = ch == "b" || ch == "B"; j += 1 }
                let quote = c[j]
                let triple = j + 2 < c.count && c[j + 1] == quote && c[j + 2] == quote
                j += triple ? 3 : 1
                var s = ""
                var closed = false
                while j < c.count {
                    if c[j] == quote && (!triple || (j + 2 < c.count && c[j + 1] == quote && c[j + 2] == quote)) {
                        j += triple ? 3 : 1
                        closed = true
                        break
                    }
                    if !triple && c[j] == "\n" { break }
                    if c[j] == "\\" && !raw && j + 1 < c.count {
                        j += 1
                        switch c[j] {
                        case "n": s += "\n"
                        case "t": s += "\t"
                        case "r": s += "\r"
                        case "\\", "'", "\"", "`", "?": s.unicodeScalars.append(c[j])
                        default:
                            throw CELSyntaxError(offset: j - 1, message: "invalid escape sequence")
                        }
                    } else {
                        s.unicodeScalars.append(c[j])
                    }
                    j += 1
                }
                guard closed else { throw CELSyntaxError(offset: start, message: "token recognition error at: '\(String(String.UnicodeScalarView(c[start..<min(j, c.count)])))'") }
                out.append(CELToken(kind: bytes ? .bytes(s) : .string(s), offset: start))
                i = j
            } else {
                let two = i + 1 < c.count ? String(String.UnicodeScalarView([ch, c[i + 1]])) : ""
                if ["&&", "||", "==", "!=", "<=", ">="].contains(two) {
                    out.append(CELToken(kind: .op(two), offset: start)); i += 2
                } else if "!<>+-*/%?:.,()[]{}".unicodeScalars.contains(ch) {
                    out.append(CELToken(kind: .op(String(ch)), offset: start)); i += 1
                } else {
                    throw CELSyntaxError(offset: start, message: "token recognition error at: '\(ch)'")
                }
            }
        }
        out.append(CELToken(kind: .end, offset: c.count))
        return out
    }
}

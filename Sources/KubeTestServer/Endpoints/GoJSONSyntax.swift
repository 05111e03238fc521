import KubeAPI

/// The first syntax error of a JSON text worded as Go's `encoding/json` scanner words it
/// (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`, …), so
/// a malformed body gets the apiserver's own decode-error text.
struct GoJSONSyntax {
    private enum Container { case object, array }
    private enum Expect {
        case value, keyOrEnd, key, colon, valueOrEnd, commaOrEnd, done
    }

    /// nil when `bytes` is one syntactically valid JSON value (surrounded by whitespace).
    static func error(_ bytes: [UInt8]) -> String? {
        var i = 0
        var stack: [Container] = []
        var expect = Expect.value
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        func invalid(_ c: UInt8, _ context: String) -> String { "invalid character \(quoteChar(c)) \(context)" }
        let eof = "unexpected end of JSON input"

        /// After a complete value: where the enclosing container (if any) goes next.
        func afterValue() -> Expect {
            switch stack.last {
            case .object?: .commaOrEnd
            case .array?: .commaOrEnd
            case nil: .done
            }
        }

        while true {
            guard i < bytes.count else { return expect == .done ? nil : eof }
            let c = bytes[i]
            if isSpace(c) { i += 1; continue }
            switch expect {
            case .done:
                return invalid(c, "after top-level value")
            case .colon:
                guard c == UInt8(ascii: ":") else { return invalid(c, "after object key") }
                i += 1
                expect = .value
            case .commaOrEnd:
                let inObject = stack.last == .object
                if c == UInt8(ascii: ",") {
                    i += 1
                    expect = inObject ? .key : .value
                } else if (inObject && c == UInt8(ascii: "}")) || (!inObject && c == UInt8(ascii: "]")) {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                } else {
                    return invalid(c, inObject ? "after object key:value pair" : "after array element")
                }
            case .keyOrEnd, .key:
                if expect == .keyOrEnd && c == UInt8(ascii: "}") {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                    continue
                }
                guard c == UInt8(ascii: "\"") else { return invalid(c, "looking for beginning of object key string") }
                if let e = scanString(bytes, &i) { return e }
                expect = .colon
            case .value, .valueOrEnd:
                if expect == .valueOrEnd && c == UInt8(ascii: "]") {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                    continue
                }
                switch c {
                case UInt8(ascii: "{"):
                    i += 1
                    stack.append(.object)
                    expect = .keyOrEnd
                case UInt8(ascii: "["):
                    i += 1
                    stack.append(.array)
                    expect = .valueOrEnd
                case UInt8(ascii: "\""):
                    if let e = scanString(bytes, &i) { return e }
                    expect = afterValue()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let e = scanNumber(bytes, &i) { return e }
                    expect = afterValue()
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let word = c == UInt8(ascii: "t") ? "true" : c == UInt8(ascii: "f") ? "false" : "null"
                    for (k, w) in Array(word.utf8).enumerated().dropFirst() {
                        guard i + k < bytes.count else { return eof }
                        if bytes[i + k] != w {
                            return invalid(bytes[i + k], "in literal \(word) (expecting \(quoteChar(w)))")
                        }
                    }
                    i += word.utf8.count
                    expect = afterValue()
                default:
                    return invalid(c, "looking for beginning of value")
                }
            }
        }
    }

    /// Scans a string starting at its opening quote; leaves `i` after the closing one.
    private static func scanString(_ b: [UInt8], _ i: inout Int) -> String? {
        i += 1
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return nil }
            if c < 0x20 { return "invalid character \(quoteChar(c)) in string literal" }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < b.count else { return "unexpected end of JSON input" }
                let e = b[i]
                if e == UInt8(ascii: "u") {
                    for k in 1...4 {
                        guard i + k < b.count else { return "unexpected end of JSON input" }
                        if !isHex(b[i + k]) {
                            return "invalid character \(quoteChar(b[i + k])) in \\u hexadecimal character escape"
                        }
                    }
                    i += 5
                    continue
                }
                guard Array("\"\\/bfnrt".utf8).contains(e) else {
                    return "invalid character \(quoteChar(e)) in string escape code"
                }
            }
            i += 1
        }
        return "unexpected end of JSON input"
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Scans a number; the character ending it is left for the caller.
    private static func scanNumber(_ b: [UInt8], _ i: inout Int) -> String? {
        let eof = "unexpected end of JSON input"
        if b[i] == UInt8(ascii: "-") {
            i += 1
            guard i < b.count else { return eof }
            guard isDigit(b[i]) else { return "invalid character \(quoteChar(b[i])) in numeric literal" }
        }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count else { return eof }
            guard isDigit(b[i]) else { return "invalid character \(quoteChar(b[i])) after decimal point in numeric literal" }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            guard i < b.count else { return eof }
            if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                i += 1
                guard i < b.count else { return eof }
            }
            guard isDigit(b[i]) else { return "invalid character \(quoteChar(b[i])) in exponent of numeric literal" }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        return nil
    }

    /// Go's `quoteChar`: `'x'`, `'\''`, `'"'`, `'\n'`, `'\x01'`, and bytes ≥ 0x80 as the code point U+00XX.
    static func quoteChar(_ c: UInt8) -> String {
        switch c {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case UInt8(ascii: "\\"): return "'\\\\'"
        case 7: return "'\\a'"
        case 8: return "'\\b'"
        case 12: return "'\\f'"
        case 10: return "'\\n'"
        case 13: return "'\\r'"
        case 9: return "'\\t'"
        case 11: return "'\\v'"
        case 0..<0x20, 0x7f: return "'\\x" + hex2(c) + "'"
        case 0x80...0xa0: return "'\\u00" + hex2(c) + "'"
        case 0xad: return "'\\u00ad'"
        default: return "'" + String(Character(Unicode.Scalar(c))) + "'"
        }
    }

    private static func hex2(_ c: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(c >> 4)], digits[Int(c & 15)]])
    }

    /// The handler's `summarizeData(body, 30)`: `<empty>`, the text when it starts with `{`, else hex.
    static func summary(_ data: [UInt8]) -> String {
        guard let first = data.first else { return "<empty>" }
        let head = Array(data.prefix(30))
        let more = data.count > 30 ? " ..." : ""
        if first == UInt8(ascii: "{") { return String(decoding: head, as: UTF8.self) + more }
        return head.map(hex2).joined() + more
    }
}

extension APIHandler {
    /// A create/update body: a malformed JSON one is 400 as `transformDecodeError` words it
    /// (`the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind;
    /// json parse error: unexpected end of JSON input (<empty>)`).
    func parseObjectBody(_ request: APIRequest, _ type: ResourceType) throws(APIError) -> JSONValue {
        let contentType = request.contentType.lowercased()
        if contentType.hasPrefix("application/json") || contentType.isEmpty, let why = GoJSONSyntax.error(request.body) {
            throw .badRequest("the object provided is unrecognized (must be of type \(type.kind)): couldn't get version/kind; json parse error: \(why) (\(GoJSONSyntax.summary(request.body)))")
        }
        return try parseBody(request)
    }
}

/// The tokenizer behind `JSONTape` (strict RFC 8259).
struct TapeScanner {
    let count: Int
    var i = 0

    init(bytes: [UInt8]) { count = bytes.count }

    func fail(_ m: String) -> JSONParseFailure { JSONParseFailure(offset: i, message: m) }

    @inline(__always)
    mutating func skipSpace(_ b: UnsafeBufferPointer<UInt8>) {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    mutating func value(_ b: UnsafeBufferPointer<UInt8>, into tokens: inout [JSONTape.Token], depth: Int) throws(JSONParseFailure) {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): try container(b, into: &tokens, depth: depth, object: true)
        case UInt8(ascii: "["): try container(b, into: &tokens, depth: depth, object: false)
        case UInt8(ascii: "\""): try string(b, into: &tokens)
        case UInt8(ascii: "t"): try literal(b, "true", .true, into: &tokens)
        case UInt8(ascii: "f"): try literal(b, "false", .false, into: &tokens)
        case UInt8(ascii: "n"): try literal(b, "null", .null, into: &tokens)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(b, into: &tokens)
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString, _ kind: JSONTape.Kind,
                          into tokens: inout [JSONTape.Token]) throws(JSONParseFailure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw fail("invalid literal") }
        tokens.append(.init(kind: kind, flag: false, start: Int32(i), end: Int32(i + n), next: Int32(tokens.count + 1), count: 0))
        i += n
    }

    mutating func container(_ b: UnsafeBufferPointer<UInt8>, into tokens: inout [JSONTape.Token], depth: Int,
                            object: Bool) throws(JSONParseFailure) {
        guard depth < 512 else { throw fail("nesting deeper than 512") }
        let me = tokens.count
        tokens.append(.init(kind: object ? .object : .array, flag: false, start: Int32(i), end: 0, next: 0, count: 0))
        i += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var members: Int32 = 0
        skipSpace(b)
        if i < b.count, b[i] == close {
            i += 1
        } else {
            while true {
                skipSpace(b)
                if object {
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                    try string(b, into: &tokens)
                    skipSpace(b)
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipSpace(b)
                }
                try value(b, into: &tokens, depth: depth + 1)
                members += 1
                skipSpace(b)
                guard i < b.count else { throw fail("unexpected end of input") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == close { i += 1; break }
                throw fail(object ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
        tokens[me].end = Int32(i)
        tokens[me].next = Int32(tokens.count)
        tokens[me].count = members
    }

    mutating func string(_ b: UnsafeBufferPointer<UInt8>, into tokens: inout [JSONTape.Token]) throws(JSONParseFailure) {
        i += 1
        let start = i
        var escaped = false
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                tokens.append(.init(kind: .string, flag: escaped, start: Int32(start), end: Int32(i), next: Int32(tokens.count + 1), count: 0))
                i += 1
                if escaped, TapeScanner.unescapeChecked(UnsafeBufferPointer(rebasing: b[start..<(i - 1)])) == nil {
                    throw JSONParseFailure(offset: start, message: "invalid escape in string")
                }
                return
            }
            if c < 0x20 { throw fail("control character in string") }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            i += 1
        }
        throw fail("unterminated string")
    }

    mutating func number(_ b: UnsafeBufferPointer<UInt8>, into tokens: inout [JSONTape.Token]) throws(JSONParseFailure) {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, b[i] >= 48, b[i] <= 57 else { throw fail("invalid number") }
        if b[i] == 48, i + 1 < b.count, b[i + 1] >= 48, b[i + 1] <= 57 { throw fail("leading zero in number") }
        var fractional = false
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            fractional = true
            i += 1
            let f = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > f else { throw fail("invalid fraction") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            fractional = true
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > e else { throw fail("invalid exponent") }
        }
        tokens.append(.init(kind: .number, flag: fractional, start: Int32(start), end: Int32(i), next: Int32(tokens.count + 1), count: 0))
    }

    /// Unescapes string content that is known to be valid.
    static func unescape(_ s: UnsafeBufferPointer<UInt8>) -> String { unescapeChecked(s) ?? "" }

    /// Unescapes string content; `nil` for invalid escapes or lone surrogates.
    static func unescapeChecked(_ s: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= s.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = s[k]
                switch c {
                case 48...57: v = v * 16 + UInt32(c - 48)
                case 65...70: v = v * 16 + UInt32(c - 55)
                case 97...102: v = v * 16 + UInt32(c - 87)
                default: return nil
                }
            }
            return v
        }
        while i < s.count {
            let c = s[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < s.count else { return nil }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= s.count, s[i] == UInt8(ascii: "\\"), s[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return nil
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

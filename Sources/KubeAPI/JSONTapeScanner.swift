/// The JSON grammar (strict RFC 8259): the one tokenizer in the package, behind `JSONTape` and so
/// behind both `JSONValue(parsing:)` and KubeClient's `JSONBytesDecoder`.
///
/// Rejects trailing garbage, control characters in strings, invalid escapes, lone surrogates,
/// leading zeros and nesting deeper than `maxDepth`. Every error names the byte offset where the
/// input stopped making sense and what was expected there.
struct JSONTapeScanner {
    let b: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var i = 0
    var tokens: [JSONTape.Token] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        b = bytes
        self.maxDepth = maxDepth
        tokens.reserveCapacity(bytes.count / 8)
    }

    func fail(_ message: String) -> JSONParseError { JSONParseError(offset: i, message: message) }

    mutating func document(skipping plan: JSONSkipPlan? = nil) throws(JSONParseError) {
        skipSpace()
        if let plan { try plannedValue(depth: 0, plan: plan) } else { try value(depth: 0) }
        skipSpace()
        guard i == b.count else { throw fail("unexpected trailing characters") }
    }

    @inline(__always)
    mutating func skipSpace() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    @inline(__always)
    mutating func append(_ kind: JSONTape.Kind, flag: Bool = false, start: Int, end: Int) {
        tokens.append(.init(kind: kind, flag: flag, start: Int32(start), end: Int32(end),
                            next: Int32(tokens.count + 1), count: 0))
    }

    mutating func value(depth: Int) throws(JSONParseError) {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): try container(depth: depth, object: true)
        case UInt8(ascii: "["): try container(depth: depth, object: false)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(b[i])))'")
        }
    }

    mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind) throws(JSONParseError) {
        let start = i
        try literalBody(word)
        append(kind, start: start, end: i)
    }

    /// Checks the literal `word` at `i` and moves past it (`literal` without the token).
    @inline(__always)
    mutating func literalBody(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw fail("invalid literal") }
        i += n
    }

    /// An object or array; `depth` counts the containers around it.
    mutating func container(depth: Int, object: Bool) throws(JSONParseError) {
        guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        let me = tokens.count
        tokens.append(.init(kind: object ? .object : .array, flag: false, start: Int32(i), end: 0, next: 0, count: 0))
        i += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var members: Int32 = 0
        var nameLengths: UInt16 = 0
        skipSpace()
        if i < b.count, b[i] == close {
            i += 1
        } else {
            while true {
                skipSpace()
                if object { _ = try memberName(&nameLengths) }
                try value(depth: depth + 1)
                members += 1
                skipSpace()
                guard i < b.count else { throw fail(object ? "unexpected end of input in object" : "unexpected end of input in array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == close { i += 1; break }
                throw fail(object ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
        tokens[me].end = Int32(i)
        tokens[me].next = Int32(tokens.count)
        tokens[me].count = members
        tokens[me].nameLengths = nameLengths
    }

    /// An object member's name and its `:`, from `i` at the name (space before it skipped) to the
    /// value (space after the colon skipped): appends the name's string token, notes its length
    /// in `nameLengths` (an escaped name: every length) and returns the token.
    @inline(__always)
    mutating func memberName(_ nameLengths: inout UInt16) throws(JSONParseError) -> JSONTape.Token {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        try string()
        let name = tokens[tokens.count - 1]
        nameLengths |= name.flag ? 0xFFFF : 1 &<< ((name.end &- name.start) & 15)
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        i += 1
        skipSpace()
        return name
    }

    /// A string; escapes are validated here (`JSONEscapes.scalar`) and decoded only when read.
    mutating func string() throws(JSONParseError) {
        let start = i + 1
        let escaped = try stringBody()
        append(.string, flag: escaped, start: start, end: i - 1)
    }

    /// Scans a string from its opening quote at `i` to just past its closing quote (`string`
    /// without the token); returns whether it contains a backslash escape.
    @inline(__always)
    mutating func stringBody() throws(JSONParseError) -> Bool {
        i += 1
        var escaped = false
        while i < b.count {
            skipPlainBytes()
            guard i < b.count else { break }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return escaped
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i = try JSONEscapes.scalar(b, at: i).end
                continue
            }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        throw fail("unterminated string")
    }

    /// Advances `i` to the next quote, backslash or control character of a string, or to the end
    /// of the input (`plainRunEnd`): the byte the byte loop in `string()` would stop at, so this
    /// changes speed only, never the result or an error offset.
    @inline(__always)
    mutating func skipPlainBytes() {
        i = Self.plainRunEnd(b, from: i)
    }

    /// The index of the first byte at or after `start` that is special in a JSON string (a quote,
    /// a backslash or a control character), or `bytes.count`: where a string's parse stops, and
    /// where `JSONValue.writeString`'s unescaped run ends. Words of 8 bytes at a time (SWAR): the
    /// lowest flagged byte of a word is exactly its first special byte (a borrow only flags bytes
    /// above a true one); the tail byte by byte.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= bytes.count {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let special = hasZeroByte(w ^ (ones &* 0x22)) | hasZeroByte(w ^ (ones &* 0x5C))
                    | hasByteBelow(w, 0x20)
                if special != 0 { return i + special.trailingZeroBitCount &>> 3 }
                i += 8
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == 0x22 || b == 0x5C { return i }
            i += 1
        }
        return i
    }

    /// Non-zero iff some byte of `w` is zero; the lowest set bit (0x80) marks the lowest zero byte.
    @inline(__always)
    static func hasZeroByte(_ w: UInt64) -> UInt64 {
        (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
    }

    /// Non-zero iff some byte of `w` is below `n` (`n` ≤ 128).
    @inline(__always)
    static func hasByteBelow(_ w: UInt64, _ n: UInt64) -> UInt64 {
        (w &- 0x0101_0101_0101_0101 &* n) & ~w & 0x8080_8080_8080_8080
    }

    mutating func number() throws(JSONParseError) {
        let start = i
        let fractional = try numberBody()
        append(.number, flag: fractional, start: start, end: i)
    }

    /// Scans a number at `i` and moves past it (`number` without the token); returns whether it
    /// has a fraction or an exponent.
    @inline(__always)
    mutating func numberBody() throws(JSONParseError) -> Bool {
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
        return fractional
    }
}

/// JSON string escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with surrogate
/// pairs): validated by `JSONTapeScanner` while scanning, decoded by `unescape` when a string is read.
package enum JSONEscapes {
    /// Decodes the escape sequence whose backslash is at `b[start]`; returns its scalar and the index
    /// just past it. Errors carry the offset in `b` where the sequence went wrong: the end of input
    /// right after the backslash is "unterminated string", a bad escape letter is reported just
    /// past it, a lone surrogate just past its four hex digits.
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONParseError) -> (scalar: Unicode.Scalar, end: Int) {
        var i = start + 1
        guard i < b.count else { throw JSONParseError(offset: i, message: "unterminated string") }
        let e = b[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""): return ("\"", i)
        case UInt8(ascii: "\\"): return ("\\", i)
        case UInt8(ascii: "/"): return ("/", i)
        case UInt8(ascii: "b"): return ("\u{08}", i)
        case UInt8(ascii: "f"): return ("\u{0C}", i)
        case UInt8(ascii: "n"): return ("\n", i)
        case UInt8(ascii: "r"): return ("\r", i)
        case UInt8(ascii: "t"): return ("\t", i)
        case UInt8(ascii: "u"): break
        default: throw JSONParseError(offset: i, message: "invalid escape")
        }
        var value = try hex4(b, &i)
        if (0xD800...0xDBFF).contains(value) {
            guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(offset: i, message: "lone high surrogate")
            }
            i += 2
            let low = try hex4(b, &i)
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(offset: i, message: "invalid low surrogate") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(value) {
            throw JSONParseError(offset: i, message: "lone low surrogate")
        }
        guard let scalar = Unicode.Scalar(value) else { throw JSONParseError(offset: i, message: "invalid unicode escape") }
        return (scalar, i)
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws(JSONParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw JSONParseError(offset: i, message: "short unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw JSONParseError(offset: i, message: "invalid hex digit")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    /// The text of string content (between the quotes) that `JSONTapeScanner` accepted.
    package static func unescape(_ s: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: "\\") else {
                out.append(s[i])
                i += 1
                continue
            }
            // Cannot fail: the scanner validated this content with the same function.
            guard let (scalar, end) = try? scalar(s, at: i) else { break }
            UTF8.encode(scalar) { out.append($0) }
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// JSON text with the members of every object sorted by their key's bytes, everything else kept
/// byte for byte: two texts that differ only in member order canonicalize equal, while any other
/// difference (a string's escaping, a number's digits, an omitted or extra member) survives.
///
/// The Codable path writes members in a dictionary's order, the hand-written writers in
/// declaration order; this is what "byte-identical" can mean between them.
enum CanonicalJSON {
    struct Invalid: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "not canonicalizable at byte \(offset): \(reason)" }
    }

    /// The canonical text; throws on malformed JSON and on an object with a repeated key.
    static func canonical(_ text: [UInt8]) throws -> [UInt8] {
        var p = Parser(b: text)
        let v = try p.value()
        p.skipSpace()
        guard p.i == text.count else { throw Invalid(offset: p.i, reason: "trailing bytes") }
        return v
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < b.count, b[i] == c else { throw Invalid(offset: i, reason: "expected \(Character(Unicode.Scalar(c)))") }
            i += 1
        }

        mutating func value() throws -> [UInt8] {
            skipSpace()
            guard i < b.count else { throw Invalid(offset: i, reason: "end of input") }
            switch b[i] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return try string()
            default: return try scalar()
            }
        }

        mutating func object() throws -> [UInt8] {
            i += 1
            var members: [(key: [UInt8], value: [UInt8])] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") {
                i += 1
                return Array("{}".utf8)
            }
            while true {
                skipSpace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members.append((key, try value()))
                skipSpace()
                guard i < b.count else { throw Invalid(offset: i, reason: "unterminated object") }
                i += 1
                if b[i - 1] == UInt8(ascii: "}") { break }
                guard b[i - 1] == UInt8(ascii: ",") else { throw Invalid(offset: i - 1, reason: "expected , or }") }
            }
            members.sort { $0.key.lexicographicallyPrecedes($1.key) }
            for k in members.indices.dropFirst() where members[k].key == members[k - 1].key {
                throw Invalid(offset: i, reason: "repeated key \(String(decoding: members[k].key, as: UTF8.self))")
            }
            var out: [UInt8] = [UInt8(ascii: "{")]
            for (n, m) in members.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                out += m.key
                out.append(UInt8(ascii: ":"))
                out += m.value
            }
            out.append(UInt8(ascii: "}"))
            return out
        }

        mutating func array() throws -> [UInt8] {
            i += 1
            var out: [UInt8] = [UInt8(ascii: "[")]
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") {
                i += 1
                return Array("[]".utf8)
            }
            while true {
                out += try value()
                skipSpace()
                guard i < b.count else { throw Invalid(offset: i, reason: "unterminated array") }
                i += 1
                if b[i - 1] == UInt8(ascii: "]") { break }
                guard b[i - 1] == UInt8(ascii: ",") else { throw Invalid(offset: i - 1, reason: "expected , or ]") }
                out.append(UInt8(ascii: ","))
            }
            out.append(UInt8(ascii: "]"))
            return out
        }

        /// A string token as written, quotes and escapes included.
        mutating func string() throws -> [UInt8] {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Invalid(offset: i, reason: "expected a string") }
            let start = i
            i += 1
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                i += b[i] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard i < b.count else { throw Invalid(offset: start, reason: "unterminated string") }
            i += 1
            return Array(b[start..<i])
        }

        /// A number or literal as written.
        mutating func scalar() throws -> [UInt8] {
            let start = i
            while i < b.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(b[i]) {
                i += 1
            }
            guard i > start else { throw Invalid(offset: i, reason: "expected a value") }
            return Array(b[start..<i])
        }
    }
}

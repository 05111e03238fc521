import KubeAPI

/// A JSON document as a flat array of tokens over its bytes: the fast path for decoding watch
/// events without building a `JSONValue` tree (no dictionaries, no key strings).
///
/// Layout: a container token is followed by its members (objects: key, value, key, value, ...);
/// every token records `next`, the index just past its subtree, so skipping a value is O(1).
/// Scalars keep their byte range; strings are unescaped only when decoded.
///
/// Contract: accepts exactly the documents `JSONValue(parsing:)` accepts (RFC 8259, depth ≤ 512).
struct JSONTape {
    enum Kind: UInt8 { case null, `false`, `true`, number, string, object, array }

    struct Token {
        var kind: Kind
        /// Strings: contains a backslash escape. Numbers: has a fraction or exponent.
        var flag: Bool
        var start: Int32
        var end: Int32
        /// Index of the token after this subtree.
        var next: Int32
        /// Members (objects: pairs) for containers.
        var count: Int32
    }

    let bytes: [UInt8]
    private(set) var tokens: [Token] = []

    init(parsing bytes: [UInt8]) throws(JSONParseFailure) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 8)
        var scanner = TapeScanner(bytes: bytes)
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONParseFailure) in
            scanner.skipSpace(buf)
            try scanner.value(buf, into: &tokens, depth: 0)
            scanner.skipSpace(buf)
            if scanner.i != buf.count { throw JSONParseFailure(offset: scanner.i, message: "unexpected trailing characters") }
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
    guard let b else { return n == 0 }
    var k = 0
    while k < n {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}

/// A parse failure of the tape scanner.
struct JSONParseFailure: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { "invalid JSON at byte \(offset): \(message)" }
}

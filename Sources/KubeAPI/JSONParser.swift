/// A strict RFC 8259 JSON parser producing `JSONValue`, with positions in its errors. The grammar
/// lives in `JSONTapeScanner` (shared with KubeClient's `JSONBytesDecoder`); the tree is built from
/// the resulting `JSONTape`.
///
/// Contract: accepts exactly one JSON value surrounded by optional whitespace; rejects trailing
/// garbage, control characters in strings, lone surrogates, leading zeros and nesting deeper than
/// `maxDepth`. Integers that fit `Int64` become `.int`, all other numbers `.double`.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the problem in the input.
    public var offset: Int
    public var message: String
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSONValue {
    /// Parses UTF-8 JSON bytes.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = 512) throws(JSONParseError) {
        let tape = try JSONTape(parsing: Array(bytes), maxDepth: maxDepth)
        self = tape.withView { $0.value(at: 0) }
    }

    /// Parses a JSON string.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }
}

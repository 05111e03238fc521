/// A JSON document as a flat array of tokens over its bytes: the single parse of JSON text in the
/// package. `JSONValue(parsing:)` builds its tree from it, and KubeClient's `JSONBytesDecoder`
/// decodes `Decodable` models straight from it (no tree, no dictionaries, no key strings).
///
/// Layout: a container token is followed by its members (objects: key, value, key, value, ...);
/// every token records `next`, the index just past its subtree, so skipping a value is O(1).
/// Scalars keep their byte range; strings are unescaped only when read (`JSONTapeView.string`).
///
/// Contract: accepts exactly RFC 8259 documents (one value, optional surrounding whitespace,
/// nesting ≤ `maxDepth`); anything else throws a `JSONParseError` with the byte offset of the
/// problem and what was expected there (see `JSONTapeScanner`). Offsets fit in `Int32`, so
/// documents are limited to 2 GiB.
package struct JSONTape: Sendable {
    /// `skipped`: a member value a `JSONSkipPlan` left out (validated, not recorded: no tokens
    /// below it, its byte range spans the whole value); no reader reads it.
    package enum Kind: UInt8, Sendable { case null, `false`, `true`, number, string, object, array, skipped }

    package struct Token: Sendable {
        package var kind: Kind
        /// Strings: contains a backslash escape. Numbers: has a fraction or exponent.
        package var flag: Bool
        /// Objects: bit `n % 16` is set if some member name may be `n` bytes long (escaped names
        /// set every bit), so a lookup can rule out an absent name without scanning. Fits the
        /// padding after `flag`: tokens stay 20 bytes. Zero for all other kinds.
        package var nameLengths: UInt16 = 0
        /// Byte range: strings exclude the quotes; containers span the brackets.
        package var start: Int32
        package var end: Int32
        /// Index of the token after this subtree.
        package var next: Int32
        /// Members (objects: pairs) for containers.
        package var count: Int32
    }

    package let bytes: [UInt8]
    package let tokens: [Token]

    /// `plan`: members to validate without recording (`JSONSkipPlan`); the document parses, or
    /// fails with the same error, exactly as without it.
    package init(parsing bytes: [UInt8], maxDepth: Int = 512, skipping plan: JSONSkipPlan? = nil) throws(JSONParseError) {
        guard bytes.count < Int(Int32.max) else {
            throw JSONParseError(offset: 0, message: "document larger than 2 GiB")
        }
        self.bytes = bytes
        tokens = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            var scanner = JSONTapeScanner(bytes: buffer, maxDepth: maxDepth)
            try scanner.document(skipping: plan)
            return scanner.tokens
        }
    }

    /// Calls `body` with unmanaged read access to the tape; the view must not escape `body`.
    package func withView<R>(_ body: (JSONTapeView) throws -> R) rethrows -> R {
        try tokens.withUnsafeBufferPointer { tokens in
            try bytes.withUnsafeBufferPointer { bytes in
                // A parsed document has at least one byte and one token: neither base is nil.
                try body(JSONTapeView(tokens: tokens.baseAddress!, bytes: bytes.baseAddress!))
            }
        }
    }
}

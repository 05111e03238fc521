/// One value of a parsed JSON document (a view of the tape plus a token index), read by
/// `TapeDecodable` initialisers. A trivial value: valid only inside `JSONTape.withView`.
///
/// Contract: each reader behaves as `JSONBytesDecoder` (KubeClient) does for the same Swift type —
/// a value of the wrong JSON kind throws `.typeMismatch` at this value's coding path (`null`
/// included: optionals are handled by `TapeObject`'s `…IfPresent` readers), integers must be
/// exact, times must be RFC 3339.
package struct TapeValue {
    package let view: JSONTapeView
    package let index: Int

    package init(_ view: JSONTapeView, _ index: Int) {
        self.view = view
        self.index = index
    }

    @inline(__always)
    var token: JSONTape.Token { view.tokens[index] }

    package var isNull: Bool {
        if case .null = token.kind { return true }
        return false
    }

    /// The coding path of this value (built for errors only).
    package var codingPath: [any CodingKey] { view.keyPath(to: index) }

    package func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(token.kind)"))
    }

    package func dataCorrupted(_ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }

    /// What the synthesized `init(from:)` of a `String`-backed enum throws for an unknown case.
    package func invalidRawValue(_ type: Any.Type, _ raw: String) -> DecodingError {
        dataCorrupted("Cannot initialize \(type) from invalid String value \(raw)")
    }

    /// This value as an object (what a keyed container requires).
    package func object() throws -> TapeObject {
        guard case .object = token.kind else { throw mismatch([String: JSONValue].self) }
        return TapeObject(view, index)
    }

    /// This value as an array (what an unkeyed container, e.g. `[T].init(from:)`, requires).
    package func array() throws -> TapeArray {
        guard case .array = token.kind else { throw mismatch([JSONValue].self) }
        return TapeArray(view, index)
    }

    package func string() throws -> String {
        let t = token
        guard case .string = t.kind else { throw mismatch(String.self) }
        return view.string(t)
    }

    package func bool() throws -> Bool {
        switch token.kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self)
        }
    }

    package func int64() throws -> Int64 { try integer(Int64.self) }
    package func int32() throws -> Int32 { try integer(Int32.self) }
    package func int() throws -> Int { try integer(Int.self) }

    package func double() throws -> Double {
        let t = token
        guard case .number = t.kind, let d = view.double(t) else { throw mismatch(Double.self) }
        return d
    }

    /// An integer that `T` represents exactly (`2.0` and `2e0` included, `2.5` and overflow not).
    @inline(__always)
    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let t = token
        guard case .number = t.kind else { throw mismatch(T.self) }
        if let i = view.int64(t), let x = T(exactly: i) { return x }
        if let d = view.double(t), let x = T(exactly: d) { return x }
        throw mismatch(T.self)
    }

    /// An RFC 3339 time (`KubeTime`'s own decoding: a string, else `.typeMismatch`; bad text →
    /// `.dataCorrupted`).
    /// A string without escapes is parsed from its bytes in the document (no `String` made): the
    /// parser accepts only ASCII, so those bytes succeed exactly when their `String` would, with
    /// the same time; anything else (escapes, a malformed time) goes through the `String`.
    package func time() throws -> KubeTime {
        let t = token
        if case .string = t.kind, !t.flag, let time = KubeTime(rfc3339UTF8: view.span(t)) { return time }
        let s = try string()
        guard let time = KubeTime(rfc3339: s) else { throw dataCorrupted("not an RFC 3339 time: \(s)") }
        return time
    }

    /// A `[String: String]` object; of duplicate names the first wins (a later duplicate's value
    /// is not checked, as in `JSONBytesDecoder`).
    package func stringMap() throws -> [String: String] {
        let t = token
        guard case .object = t.kind else { throw mismatch([String: String].self) }
        // Sized at creation: `reserveCapacity` on the empty literal runs the standard library's
        // unspecialized resize (a generic-metadata lookup and a rehash loop, ≈ 1,150 instructions
        // per map); `init(minimumCapacity:)` allocates the same capacity directly.
        var out = [String: String](minimumCapacity: Int(t.count))
        var i = index + 1
        while i < Int(t.next) {
            let k = view.string(view.tokens[i])
            let v = view.tokens[i + 1]
            if case .string = v.kind {
                if let first = out.updateValue(view.string(v), forKey: k) { out[k] = first }
            } else if out[k] == nil {
                throw TapeValue(view, i + 1).mismatch(String.self)
            }
            i = Int(v.next)
        }
        return out
    }

    /// A `[String]` array.
    package func stringArray() throws -> [String] {
        let t = token
        guard case .array = t.kind else { throw mismatch([String].self) }
        var out: [String] = []
        out.reserveCapacity(Int(t.count))
        var i = index + 1
        while i < Int(t.next) {
            out.append(try TapeValue(view, i).string())
            i = Int(view.tokens[i].next)
        }
        return out
    }

    /// The subtree as a `JSONValue` (what `JSONBytesDecoder` gives a `JSONValue` member).
    package func json() -> JSONValue { view.value(at: index) }

    package func decode<T: TapeDecodable>(_ type: T.Type) throws -> T { try T(tape: self) }
}

/// The elements of a JSON array, in order, for `map { try T(tape: $0) }`.
package struct TapeArray: Sequence {
    let view: JSONTapeView
    let index: Int

    init(_ view: JSONTapeView, _ index: Int) {
        self.view = view
        self.index = index
    }

    package var underestimatedCount: Int { Int(view.tokens[index].count) }

    package func makeIterator() -> Iterator {
        Iterator(view: view, position: index + 1, end: Int(view.tokens[index].next))
    }

    package struct Iterator: IteratorProtocol {
        let view: JSONTapeView
        var position: Int
        let end: Int

        package mutating func next() -> TapeValue? {
            guard position < end else { return nil }
            let at = position
            position = Int(view.tokens[at].next)
            return TapeValue(view, at)
        }
    }
}

import KubeAPI

/// Decodes `Decodable` values straight from JSON bytes via a `JSONTape` — no intermediate
/// `JSONValue` tree, no dictionaries, no strings for keys. The watch hot path.
///
/// Contract: the same results and errors (`DecodingError` with coding paths) as
/// `JSONValueDecoder` on the parsed document; invalid JSON throws `KubeError.decoding`-compatible
/// `DecodingError.dataCorrupted`. Object members are found by a linear scan (objects are small);
/// for duplicate keys the first occurrence wins. A `TapeDecodable` type (KubeAPI: the models the
/// operator decodes per run) is decoded with its `init(tape:)`, which by its contract gives the
/// same values and errors without `Codable`'s machinery; everything else with `init(from:)`. Only
/// the top-level type is checked: below a `Codable` type, members are decoded with `init(from:)`.
public struct JSONBytesDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if let tapeType = T.self as? any TapeDecodable.Type {
            return try Self.withTape(bytes, skipping: tapeType.skipPlan) { view in
                try TapeDecoding.withoutCodable(tapeType, as: T.self, TapeValue(view, 0))
            }
        }
        return try Self.withTape(bytes) { view in try TapeDecoding.decode(type, view, 0) }
    }

    /// Parses `bytes` (members `plan` names validated, not recorded: `JSONSkipPlan`) and calls
    /// `body` with the tape; invalid JSON throws `.dataCorrupted` at the root.
    static func withTape<R>(_ bytes: [UInt8], skipping plan: JSONSkipPlan? = nil, _ body: (JSONTapeView) throws -> R) throws -> R {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes, skipping: plan)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
        return try tape.withView(body)
    }
}

enum TapeDecoding {
    static func mismatch<T>(_ t: T.Type, _ box: JSONTapeView, _ index: Int) -> DecodingError {
        .typeMismatch(t, .init(codingPath: box.codingPath(to: index), debugDescription: "expected \(t), found \(box.tokens[index].kind)"))
    }

    static func string(_ box: JSONTapeView, _ index: Int) throws -> String {
        let t = box.tokens[index]
        guard case .string = t.kind else { throw mismatch(String.self, box, index) }
        return box.text(t)
    }

    static func bool(_ box: JSONTapeView, _ index: Int) throws -> Bool {
        switch box.tokens[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, box, index)
        }
    }

    static func double(_ box: JSONTapeView, _ index: Int) throws -> Double {
        let t = box.tokens[index]
        guard case .number = t.kind, let d = box.double(t) else { throw mismatch(Double.self, box, index) }
        return d
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ box: JSONTapeView, _ index: Int) throws -> T {
        let t = box.tokens[index]
        guard case .number = t.kind else { throw mismatch(T.self, box, index) }
        if let i = box.int64(t), let x = T(exactly: i) { return x }
        if let d = box.double(t), let x = T(exactly: d) { return x }
        throw mismatch(T.self, box, index)
    }

    /// `value` as `T`, which the caller has checked is `value`'s own type (`T.self == U.self`): a
    /// no-op reinterpretation instead of a runtime `as!` (`swift_dynamicCast`) per decoded value.
    @inline(__always)
    static func identity<U, T>(_ value: U, as: T.Type) -> T { unsafeBitCast(value, to: T.self) }

    /// `U(tape:)` returned as `T`; the caller found `U` by casting `T.self`, so `U` is `T`.
    static func withoutCodable<U: TapeDecodable, T>(_ u: U.Type, as: T.Type, _ value: TapeValue) throws -> T {
        identity(try U(tape: value), as: T.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ box: JSONTapeView, _ index: Int) throws -> T {
        let tape = box
        if T.self == String.self { return identity(try string(box, index), as: T.self) }
        if T.self == JSONValue.self { return identity(tape.value(at: index), as: T.self) }
        if T.self == KubeTime.self {
            let s = try string(box, index)
            guard let time = KubeTime(rfc3339: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: box.codingPath(to: index), debugDescription: "not an RFC 3339 time: \(s)"))
            }
            return identity(time, as: T.self)
        }
        if T.self == [String: String].self {
            let t = tape.tokens[index]
            guard case .object = t.kind else { throw mismatch(T.self, box, index) }
            var out: [String: String] = [:]
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                let k = tape.text(tape.tokens[i])
                if case .string = tape.tokens[i + 1].kind {
                    // First occurrence wins, with one hash per member: a duplicate puts the first back.
                    if let first = out.updateValue(tape.text(tape.tokens[i + 1]), forKey: k) { out[k] = first }
                } else if out[k] == nil {
                    throw mismatch(String.self, box, i + 1)
                }
                i = Int(tape.tokens[i + 1].next)
            }
            return identity(out, as: T.self)
        }
        if T.self == [String].self {
            let t = tape.tokens[index]
            guard case .array = t.kind else { throw mismatch(T.self, box, index) }
            var out: [String] = []
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                out.append(try string(box, i))
                i = Int(tape.tokens[i].next)
            }
            return identity(out, as: T.self)
        }
        return try T(from: TapeDecoder(box: box, index: index))
    }
}


/// The `Decoder` for the value at token `index`. A trivial value (no reference counting): the
/// buffers are kept alive by `JSONBytesDecoder.decode` for the duration of the decode.
struct TapeDecoder: Decoder {
    let box: JSONTapeView
    let index: Int
    var codingPath: [any CodingKey] { box.codingPath(to: index) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object = box.tokens[index].kind else { throw TapeDecoding.mismatch([String: JSONValue].self, box, index) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(box: box, index: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array = box.tokens[index].kind else { throw TapeDecoding.mismatch([JSONValue].self, box, index) }
        return TapeUnkeyedContainer(box: box, index: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { TapeSingleContainer(box: box, index: index) }
}

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let box: JSONTapeView
    let index: Int

    var codingPath: [any CodingKey] { box.codingPath(to: index) }

    var allKeys: [Key] {
        let tape = box
        var keys: [Key] = []
        var i = index + 1
        let end = Int(tape.tokens[index].next)
        while i < end {
            if let k = Key(stringValue: tape.text(tape.tokens[i])) { keys.append(k) }
            i = Int(tape.tokens[i + 1].next)
        }
        return keys
    }

    /// The token index of the member's value, if present.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        let tape = box
        var name = key.stringValue
        return name.withUTF8 { kb in
            let object = tape.tokens[index]
            guard object.nameLengths & (1 &<< (kb.count & 15)) != 0 else { return nil }
            var i = index + 1
            let end = Int(object.next)
            while i < end {
                if tape.equals(tape.tokens[i], kb) { return i + 1 }
                i = Int(tape.tokens[i + 1].next)
            }
            return nil
        }
    }

    private func require(_ key: Key) throws -> Int {
        guard let v = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing \"\(key.stringValue)\""))
        }
        return v
    }
    private func present(_ key: Key) -> Int? {
        guard let v = find(key), !box.isNull(v) else { return nil }
        return v
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { find(key).map { box.isNull($0) } ?? true }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try TapeDecoding.bool(box, require(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try TapeDecoding.string(box, require(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try TapeDecoding.double(box, require(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try TapeDecoding.double(box, require(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try TapeDecoding.integer(type, box, require(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try TapeDecoding.integer(type, box, require(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try TapeDecoding.decode(type, box, require(key)) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map { try TapeDecoding.bool(box, $0) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map { try TapeDecoding.string(box, $0) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map { try TapeDecoding.double(box, $0) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key).map { try TapeDecoding.integer(type, box, $0) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key).map { try TapeDecoding.integer(type, box, $0) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key).map { try TapeDecoding.integer(type, box, $0) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = present(key) else { return nil }
        return try TapeDecoding.decode(type, box, v)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(box: box, index: require(key)).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(box: box, index: require(key)).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { TapeDecoder(box: box, index: index) }
    func superDecoder(forKey key: Key) throws -> any Decoder { TapeDecoder(box: box, index: try require(key)) }
}

struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let box: JSONTapeView
    /// The array token.
    let index: Int
    let end: Int
    let count: Int?
    var position: Int
    var currentIndex = 0

    init(box: JSONTapeView, index: Int) {
        self.box = box
        self.index = index
        let t = box.tokens[index]
        end = Int(t.next)
        count = Int(t.count)
        position = index + 1
    }

    var codingPath: [any CodingKey] { box.codingPath(to: index) }
    var isAtEnd: Bool { position >= end }

    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "array exhausted"))
        }
        let at = position
        position = Int(box.tokens[at].next)
        currentIndex += 1
        return at
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, box.isNull(position) {
            _ = try next()
            return true
        }
        return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try TapeDecoding.decode(type, box, try next()) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(box: box, index: try next()).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(box: box, index: try next()).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder { TapeDecoder(box: box, index: try next()) }
}

struct TapeSingleContainer: SingleValueDecodingContainer {
    let box: JSONTapeView
    let index: Int

    var codingPath: [any CodingKey] { box.codingPath(to: index) }

    func decodeNil() -> Bool { box.isNull(index) }
    func decode(_ type: Bool.Type) throws -> Bool { try TapeDecoding.bool(box, index) }
    func decode(_ type: String.Type) throws -> String { try TapeDecoding.string(box, index) }
    func decode(_ type: Double.Type) throws -> Double { try TapeDecoding.double(box, index) }
    func decode(_ type: Float.Type) throws -> Float { Float(try TapeDecoding.double(box, index)) }
    func decode(_ type: Int.Type) throws -> Int { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: UInt.Type) throws -> UInt { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try TapeDecoding.integer(type, box, index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try TapeDecoding.integer(type, box, index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try TapeDecoding.decode(type, box, index) }
}

import KubeAPI

/// Decodes `Decodable` values straight from JSON bytes via a `JSONTape` — no intermediate
/// `JSONValue` tree, no dictionaries, no strings for keys. The watch hot path.
///
/// Contract: the same results and errors (`DecodingError` with coding paths) as
/// `JSONValueDecoder` on the parsed document; invalid JSON throws `KubeError.decoding`-compatible
/// `DecodingError.dataCorrupted`. Object members are found by a linear scan (objects are small);
/// for duplicate keys the first occurrence wins.
public struct JSONBytesDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
        return try TapeDecoding.decode(type, TapeBox(tape), 0, nil, nil)
    }
}

enum TapeDecoding {
    static func mismatch<T>(_ t: T.Type, _ box: TapeBox, _ index: Int, _ at: Location) -> DecodingError {
        .typeMismatch(t, .init(codingPath: at.codingPath, debugDescription: "expected \(t), found \(box.tokens[index].kind)"))
    }

    static func string(_ box: TapeBox, _ index: Int, _ at: Location) throws -> String {
        let t = box.tokens[index]
        guard t.kind == .string else { throw mismatch(String.self, box, index, at) }
        return box.string(t)
    }

    static func bool(_ box: TapeBox, _ index: Int, _ at: Location) throws -> Bool {
        switch box.tokens[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, box, index, at)
        }
    }

    static func double(_ box: TapeBox, _ index: Int, _ at: Location) throws -> Double {
        let t = box.tokens[index]
        guard t.kind == .number, let d = box.double(t) else { throw mismatch(Double.self, box, index, at) }
        return d
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ box: TapeBox, _ index: Int, _ at: Location) throws -> T {
        let t = box.tokens[index]
        guard t.kind == .number else { throw mismatch(T.self, box, index, at) }
        if let i = box.int64(t), let x = T(exactly: i) { return x }
        if let d = box.double(t), let x = T(exactly: d) { return x }
        throw mismatch(T.self, box, index, at)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ box: TapeBox, _ index: Int, _ parent: PathNode?,
                                     _ key: (any CodingKey)?) throws -> T {
        let at = Location(parent: parent, key: key)
        let tape = box
        if T.self == String.self { return try string(box, index, at) as! T }
        if T.self == JSONValue.self { return tape.value(at: index) as! T }
        if T.self == KubeTime.self {
            let s = try string(box, index, at)
            guard let time = KubeTime(rfc3339: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: at.codingPath, debugDescription: "not an RFC 3339 time: \(s)"))
            }
            return time as! T
        }
        if T.self == [String: String].self {
            let t = tape.tokens[index]
            guard t.kind == .object else { throw mismatch(T.self, box, index, at) }
            var out: [String: String] = [:]
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                let k = tape.string(tape.tokens[i])
                if out[k] == nil { out[k] = try string(box, i + 1, Location(parent: at.node, key: AnyKey(k))) }
                i = Int(tape.tokens[i + 1].next)
            }
            return out as! T
        }
        if T.self == [String].self {
            let t = tape.tokens[index]
            guard t.kind == .array else { throw mismatch(T.self, box, index, at) }
            var out: [String] = []
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                out.append(try string(box, i, Location(parent: at.node, key: IndexKey(out.count))))
                i = Int(tape.tokens[i].next)
            }
            return out as! T
        }
        return try T(from: TapeDecoder(box: box, index: index, path: at.node))
    }
}

struct TapeDecoder: Decoder {
    let box: TapeBox
    let index: Int
    let path: PathNode?
    var codingPath: [any CodingKey] { PathNode.array(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard box.tokens[index].kind == .object else {
            throw TapeDecoding.mismatch([String: JSONValue].self, box, index, Location(parent: path, key: nil))
        }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(box: box, index: index, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard box.tokens[index].kind == .array else {
            throw TapeDecoding.mismatch([JSONValue].self, box, index, Location(parent: path, key: nil))
        }
        return TapeUnkeyedContainer(box: box, index: index, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { TapeSingleContainer(box: box, index: index, path: path) }
}

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let box: TapeBox
    let index: Int
    let path: PathNode?

    var codingPath: [any CodingKey] { PathNode.array(path) }

    var allKeys: [Key] {
        let tape = box
        var keys: [Key] = []
        var i = index + 1
        let end = Int(tape.tokens[index].next)
        while i < end {
            if let k = Key(stringValue: tape.string(tape.tokens[i])) { keys.append(k) }
            i = Int(tape.tokens[i + 1].next)
        }
        return keys
    }

    /// The token index of the member's value, if present.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        let tape = box
        let name = key.stringValue
        var i = index + 1
        let end = Int(tape.tokens[index].next)
        while i < end {
            if tape.equals(tape.tokens[i], name) { return i + 1 }
            i = Int(tape.tokens[i + 1].next)
        }
        return nil
    }

    private func require(_ key: Key) throws -> Int {
        guard let v = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing \"\(key.stringValue)\""))
        }
        return v
    }
    private func present(_ key: Key) -> Int? {
        guard let v = find(key), box.tokens[v].kind != .null else { return nil }
        return v
    }
    private func at(_ key: Key) -> Location { Location(parent: path, key: key) }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { find(key).map { box.tokens[$0].kind == .null } ?? true }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try TapeDecoding.bool(box, require(key), at(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try TapeDecoding.string(box, require(key), at(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try TapeDecoding.double(box, require(key), at(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try TapeDecoding.double(box, require(key), at(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try TapeDecoding.integer(type, box, require(key), at(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try TapeDecoding.decode(type, box, require(key), path, key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map { try TapeDecoding.bool(box, $0, at(key)) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map { try TapeDecoding.string(box, $0, at(key)) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map { try TapeDecoding.double(box, $0, at(key)) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key).map { try TapeDecoding.integer(type, box, $0, at(key)) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key).map { try TapeDecoding.integer(type, box, $0, at(key)) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key).map { try TapeDecoding.integer(type, box, $0, at(key)) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try TapeDecoding.decode(type, box, $0, path, key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(box: box, index: require(key), path: PathNode(path, key)).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(box: box, index: require(key), path: PathNode(path, key)).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { TapeDecoder(box: box, index: index, path: path) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        TapeDecoder(box: box, index: try require(key), path: PathNode(path, key))
    }
}

struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let box: TapeBox
    let path: PathNode?
    let end: Int
    let count: Int?
    var position: Int
    var currentIndex = 0

    init(box: TapeBox, index: Int, path: PathNode?) {
        self.box = box
        self.path = path
        let t = box.tokens[index]
        end = Int(t.next)
        count = Int(t.count)
        position = index + 1
    }

    var codingPath: [any CodingKey] { PathNode.array(path) }
    var isAtEnd: Bool { position >= end }

    private mutating func next() throws -> (Int, IndexKey) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "array exhausted"))
        }
        let at = position
        position = Int(box.tokens[at].next)
        defer { currentIndex += 1 }
        return (at, IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, box.tokens[position].kind == .null {
            _ = try next()
            return true
        }
        return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (i, k) = try next()
        return try TapeDecoding.decode(type, box, i, path, k)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (i, k) = try next()
        return try TapeDecoder(box: box, index: i, path: PathNode(path, k)).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (i, k) = try next()
        return try TapeDecoder(box: box, index: i, path: PathNode(path, k)).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (i, k) = try next()
        return TapeDecoder(box: box, index: i, path: PathNode(path, k))
    }
}

struct TapeSingleContainer: SingleValueDecodingContainer {
    let box: TapeBox
    let index: Int
    let path: PathNode?

    var codingPath: [any CodingKey] { PathNode.array(path) }
    private var at: Location { Location(parent: path, key: nil) }

    func decodeNil() -> Bool { box.tokens[index].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try TapeDecoding.bool(box, index, at) }
    func decode(_ type: String.Type) throws -> String { try TapeDecoding.string(box, index, at) }
    func decode(_ type: Double.Type) throws -> Double { try TapeDecoding.double(box, index, at) }
    func decode(_ type: Float.Type) throws -> Float { Float(try TapeDecoding.double(box, index, at)) }
    func decode(_ type: Int.Type) throws -> Int { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: Int8.Type) throws -> Int8 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: Int16.Type) throws -> Int16 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: Int32.Type) throws -> Int32 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: Int64.Type) throws -> Int64 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: UInt.Type) throws -> UInt { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try TapeDecoding.integer(type, box, index, at) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try TapeDecoding.integer(type, box, index, at) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try TapeDecoding.decode(type, box, index, path, nil) }
}

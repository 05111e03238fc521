import KubeAPI

/// Decodes `Decodable` values straight from a parsed `JSONValue`, without re-serialising.
///
/// Contract: behaves like `JSONDecoder` with default strategies for the types Kubernetes
/// models use (strings, bools, integers, floating point, arrays, dictionaries with string keys,
/// nested `JSONValue`s taken as-is). Missing keys and type mismatches throw `DecodingError`
/// with the coding path. Integers must be exact (`3.0` decodes as `Int`, `3.5` does not).
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try Primitive.decode(type, value, nil)
    }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    let path: PathNode?
    var codingPath: [any CodingKey] { PathNode.array(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue, path: PathNode?) {
        self.value = value
        self.path = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let o) = value else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: codingPath,
                debugDescription: "expected an object, found \(value.typeName)"))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: o, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let a) = value else {
            throw DecodingError.typeMismatch([JSONValue].self, .init(codingPath: codingPath,
                debugDescription: "expected an array, found \(value.typeName)"))
        }
        return UnkeyedContainer(array: a, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(value: value, path: path) }
}

/// Primitive conversions shared by the three container kinds, plus fast paths for common types.
enum Primitive {
    static func mismatch<T>(_ t: T.Type, _ v: JSONValue, _ at: Location) -> DecodingError {
        .typeMismatch(t, .init(codingPath: at.codingPath, debugDescription: "expected \(t), found \(v.typeName)"))
    }

    static func bool(_ v: JSONValue, _ at: Location) throws -> Bool {
        if case .bool(let b) = v { return b }
        throw mismatch(Bool.self, v, at)
    }

    static func string(_ v: JSONValue, _ at: Location) throws -> String {
        if case .string(let s) = v { return s }
        throw mismatch(String.self, v, at)
    }

    static func double(_ v: JSONValue, _ at: Location) throws -> Double {
        switch v {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw mismatch(Double.self, v, at)
        }
    }

    static func integer<T: FixedWidthInteger>(_ t: T.Type, _ v: JSONValue, _ at: Location) throws -> T {
        switch v {
        case .int(let i):
            if let x = T(exactly: i) { return x }
        case .double(let d):
            if let x = T(exactly: d) { return x }
        default: break
        }
        throw mismatch(T.self, v, at)
    }

    static func decode<T: Decodable>(_ t: T.Type, _ v: JSONValue, _ parent: PathNode?, _ key: (any CodingKey)? = nil) throws -> T {
        let at = Location(parent: parent, key: key)
        // Fast paths for the types every Kubernetes object is full of.
        if T.self == JSONValue.self { return v as! T }
        if T.self == String.self { return try string(v, at) as! T }
        if T.self == KubeTime.self {
            guard case .string(let s) = v else { throw mismatch(KubeTime.self, v, at) }
            guard let time = KubeTime(rfc3339: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: at.codingPath, debugDescription: "not an RFC 3339 time: \(s)"))
            }
            return time as! T
        }
        if T.self == [String: String].self {
            guard case .object(let o) = v else { throw mismatch(T.self, v, at) }
            var out: [String: String] = [:]
            out.reserveCapacity(o.count)
            for (k, value) in o {
                guard case .string(let s) = value else { throw mismatch(String.self, value, Location(parent: at.node, key: AnyKey(k))) }
                out[k] = s
            }
            return out as! T
        }
        if T.self == [String].self {
            guard case .array(let a) = v else { throw mismatch(T.self, v, at) }
            var out: [String] = []
            out.reserveCapacity(a.count)
            for (n, value) in a.enumerated() {
                guard case .string(let s) = value else { throw mismatch(String.self, value, Location(parent: at.node, key: IndexKey(n))) }
                out.append(s)
            }
            return out as! T
        }
        return try T(from: ValueDecoder(value: v, path: at.node))
    }
}

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let path: PathNode?

    var codingPath: [any CodingKey] { PathNode.array(path) }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    @inline(__always)
    private func value(_ key: Key) throws -> JSONValue {
        guard let v = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing \"\(key.stringValue)\""))
        }
        return v
    }
    @inline(__always)
    private func present(_ key: Key) -> JSONValue? {
        guard let v = object[key.stringValue], v != .null else { return nil }
        return v
    }
    private func at(_ key: Key) -> Location { Location(parent: path, key: key) }

    func decodeNil(forKey key: Key) throws -> Bool { (object[key.stringValue] ?? .null) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Primitive.bool(value(key), at(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Primitive.string(value(key), at(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Primitive.double(value(key), at(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try Primitive.double(value(key), at(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Primitive.integer(type, value(key), at(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Primitive.integer(type, value(key), at(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try Primitive.decode(type, value(key), path, key) }

    // One dictionary lookup per optional field (the default implementations make three).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map { try Primitive.bool($0, at(key)) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map { try Primitive.string($0, at(key)) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map { try Primitive.double($0, at(key)) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key).map { try Primitive.integer(type, $0, at(key)) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key).map { try Primitive.integer(type, $0, at(key)) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key).map { try Primitive.integer(type, $0, at(key)) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try Primitive.decode(type, $0, path, key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: value(key), path: PathNode(path, key)).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: value(key), path: PathNode(path, key)).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(object), path: path) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: object[key.stringValue] ?? .null, path: PathNode(path, key))
    }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let path: PathNode?
    var currentIndex = 0

    init(array: [JSONValue], path: PathNode?) {
        self.array = array
        self.path = path
    }

    var codingPath: [any CodingKey] { PathNode.array(path) }
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private mutating func next() throws -> (JSONValue, IndexKey) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "array exhausted"))
        }
        defer { currentIndex += 1 }
        return (array[currentIndex], IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, array[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (v, k) = try next()
        return try Primitive.decode(type, v, path, k)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (v, k) = try next()
        return try ValueDecoder(value: v, path: PathNode(path, k)).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (v, k) = try next()
        return try ValueDecoder(value: v, path: PathNode(path, k)).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (v, k) = try next()
        return ValueDecoder(value: v, path: PathNode(path, k))
    }
}

struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let path: PathNode?

    var codingPath: [any CodingKey] { PathNode.array(path) }
    private var at: Location { Location(parent: path, key: nil) }

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try Primitive.bool(value, at) }
    func decode(_ type: String.Type) throws -> String { try Primitive.string(value, at) }
    func decode(_ type: Double.Type) throws -> Double { try Primitive.double(value, at) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Primitive.double(value, at)) }
    func decode(_ type: Int.Type) throws -> Int { try Primitive.integer(type, value, at) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Primitive.integer(type, value, at) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Primitive.integer(type, value, at) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Primitive.integer(type, value, at) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Primitive.integer(type, value, at) }
    func decode(_ type: UInt.Type) throws -> UInt { try Primitive.integer(type, value, at) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Primitive.integer(type, value, at) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Primitive.integer(type, value, at) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Primitive.integer(type, value, at) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Primitive.integer(type, value, at) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try Primitive.decode(type, value, path) }
}

extension JSONValue {
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

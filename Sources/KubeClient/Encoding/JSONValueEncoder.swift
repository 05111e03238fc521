import FoundationEssentials
import KubeAPI

/// Encodes `Encodable` values straight into a `JSONValue`, without Foundation's `JSONEncoder`
/// writing bytes that are then parsed back (the request body is serialized from the value once).
///
/// Contract: the result is the value `JSONEncoder()` (default strategies) would write, parsed:
/// strings, bools, integers, finite floating point (non-finite throws `EncodingError.invalidValue`
/// as `JSONEncoder` does), arrays, objects (dictionary keys by their `stringValue`), `nil` from
/// `encodeNil` as `null`, optionals encoded with `encodeIfPresent` omitted, `Data` as base64 and
/// `URL` as its absolute string (the encoder's defaults), nested `JSONValue`s as they are, and a
/// value that encodes nothing as `{}`. Only the integer/float distinction of integral floats may
/// differ from a parse of `JSONEncoder`'s text (`1.0` stays a double); the serialized text is
/// equal in value.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let slot = EncodingSlot()
        try slot.encode(value, path: { [] })
        return slot.finish()
    }
}

/// One value under construction: a finished value, an object or an array of further slots.
final class EncodingSlot {
    var value: JSONValue?
    var object: [String: EncodingSlot]?
    var array: [EncodingSlot]?

    func finish() -> JSONValue {
        if let value { return value }
        if let object { return .object(object.mapValues { $0.finish() }) }
        if let array { return .array(array.map { $0.finish() }) }
        return .object([:])
    }

    /// Encodes `v` into this slot: primitives directly, everything else through its `encode(to:)`.
    /// `path` is built only when needed (a nested encoder or an error), not for every primitive.
    func encode<T: Encodable>(_ v: T, path: () -> [any CodingKey]) throws {
        if let p = try Self.primitive(v, path: path) {
            value = p
        } else {
            try v.encode(to: ValueEncoder(slot: self, codingPath: path()))
        }
    }

    static func primitive<T: Encodable>(_ v: T, path: () -> [any CodingKey]) throws -> JSONValue? {
        switch v {
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let i as Int64: return .int(i)
        case let i as Int32: return .int(Int64(i))
        case let j as JSONValue: return j
        case let d as Double: return try double(d, path: path)
        case let f as Float: return try double(Double(f), path: path)
        case let i as Int8: return .int(Int64(i))
        case let i as Int16: return .int(Int64(i))
        case let u as UInt8: return .int(Int64(u))
        case let u as UInt16: return .int(Int64(u))
        case let u as UInt32: return .int(Int64(u))
        case let u as UInt: return unsigned(UInt64(u))
        case let u as UInt64: return unsigned(u)
        case let data as Data: return .string(data.base64EncodedString())
        case let url as URL: return .string(url.absoluteString)
        default: return nil
        }
    }

    static func double(_ d: Double, path: () -> [any CodingKey]) throws -> JSONValue {
        guard d.isFinite else {
            throw EncodingError.invalidValue(d, .init(codingPath: path(), debugDescription: "Unable to encode Double.\(d) directly in JSON."))
        }
        return .double(d)
    }

    static func unsigned(_ u: UInt64) -> JSONValue { u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u)) }
}

struct ValueEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.object == nil { slot.object = [:] }
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.array == nil { slot.array = [] }
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleSlotContainer(slot: slot, codingPath: codingPath) }
}

struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> EncodingSlot {
        let c = EncodingSlot()
        slot.object![key.stringValue] = c
        return c
    }

    private func set(_ v: JSONValue, _ key: Key) {
        let c = EncodingSlot()
        c.value = v
        slot.object![key.stringValue] = c
    }

    mutating func encodeNil(forKey key: Key) { set(.null, key) }
    mutating func encode(_ v: Bool, forKey key: Key) { set(.bool(v), key) }
    mutating func encode(_ v: String, forKey key: Key) { set(.string(v), key) }
    mutating func encode(_ v: Int, forKey key: Key) { set(.int(Int64(v)), key) }
    mutating func encode(_ v: Int64, forKey key: Key) { set(.int(v), key) }
    mutating func encode(_ v: Int32, forKey key: Key) { set(.int(Int64(v)), key) }
    mutating func encode(_ v: Double, forKey key: Key) throws { set(try EncodingSlot.double(v, path: { codingPath + [key] }), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try child(key).encode(value, path: { codingPath + [key] })
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(slot: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let c = EncodingSlot()
        slot.object!["super"] = c
        return ValueEncoder(slot: c, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(slot: child(key), codingPath: codingPath + [key]) }
}

struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var count: Int { slot.array!.count }

    private func append() -> EncodingSlot {
        let c = EncodingSlot()
        slot.array!.append(c)
        return c
    }

    private var nextKey: IndexKey { IndexKey(count) }

    mutating func encodeNil() { append().value = .null }
    mutating func encode(_ v: String) { append().value = .string(v) }
    mutating func encode(_ v: Bool) { append().value = .bool(v) }
    mutating func encode(_ v: Int) { append().value = .int(Int64(v)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = nextKey
        try append().encode(value, path: { codingPath + [key] })
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [nextKey]
        return ValueEncoder(slot: append(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [nextKey]
        return ValueEncoder(slot: append(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [nextKey]
        return ValueEncoder(slot: append(), codingPath: path)
    }
}

struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() { slot.value = .null }
    mutating func encode(_ v: Bool) { slot.value = .bool(v) }
    mutating func encode(_ v: String) { slot.value = .string(v) }
    mutating func encode(_ v: Int) { slot.value = .int(Int64(v)) }
    mutating func encode(_ v: Int64) { slot.value = .int(v) }
    mutating func encode(_ v: Double) throws { slot.value = try EncodingSlot.double(v, path: { codingPath }) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.encode(value, path: { codingPath }) }
}

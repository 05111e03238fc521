/// Writes compact JSON text straight into bytes, for the hand-written `JSONWritable` conformances
/// of the objects the operator sends (no Codable, no intermediate `JSONValue`).
///
/// Contract: strings are escaped by the same code as `JSONValue.serialized()` (`JSONValue.writeString`)
/// and integers are written as `String(_:)` writes them, so a conformance that writes the same
/// members as its `Encodable` conformance yields the same text as `JSONValueEncoder` + `serialized()`
/// up to the order of object members. Object members are written in the order the conformance
/// writes them (the Codable path's order is a dictionary's, i.e. unspecified). Commas are placed by
/// the writer: `beginObject`/`beginArray` open a container, `key`/`element` separate its members,
/// `endObject`/`endArray` close it. The writer does not check that the calls nest correctly.
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8]
    /// Whether the innermost open container has no member yet.
    private var first = true

    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Starts an object member: a comma unless it is the first, then `"key":`. `key` must need no
    /// escaping (the members of Kubernetes objects are ASCII identifiers).
    public mutating func key(_ key: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an object member whose key is data (a label name, a resource name): escaped.
    public mutating func dynamicKey(_ key: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONValue.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array element: a comma unless it is the first.
    public mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    public mutating func string(_ s: String) { JSONValue.writeString(s, into: &bytes) }

    public mutating func bool(_ b: Bool) {
        if b {
            bytes.append(contentsOf: [116, 114, 117, 101])  // true
        } else {
            bytes.append(contentsOf: [102, 97, 108, 115, 101])  // false
        }
    }

    /// Decimal digits as `String(v)` writes them, without making the `String`.
    public mutating func int(_ v: Int64) {
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            // `Int64.min`'s magnitude does not fit an Int64.
            unsigned(v == .min ? UInt64(Int64.max) + 1 : UInt64(-v))
        } else {
            unsigned(UInt64(v))
        }
    }

    private mutating func unsigned(_ v: UInt64) {
        if v < 10 {
            bytes.append(48 + UInt8(v))
            return
        }
        var rest = v
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { d in
            var n = 0
            while rest > 0 {
                d[n] = 48 + UInt8(rest % 10)
                rest /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                bytes.append(d[n])
            }
        }
    }

    /// A `JSONValue` (raw JSON kept in a model, e.g. pod volumes) as `serialized()` writes it.
    public mutating func value(_ v: JSONValue) { v.write(into: &bytes) }

    /// `null`.
    public mutating func null() { bytes.append(contentsOf: [110, 117, 108, 108]) }
}

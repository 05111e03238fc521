import FoundationEssentials
import KubeAPI

/// Encoding of values and typed resources to `JSONValue`.
enum JSONCoding {
    /// Encodes straight into a `JSONValue` (`JSONValueEncoder`: what `JSONEncoder` would write, parsed).
    static func encode<T: Encodable>(_ value: T) throws(KubeError) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(value)
        } catch {
            throw KubeError.decoding("cannot encode \(T.self): \(error)")
        }
    }

    /// Encodes a resource with `apiVersion` and `kind` set from its descriptor.
    static func encodeResource<T: KubeResource>(_ object: T) throws(KubeError) -> JSONValue {
        var v = try encode(object)
        v["apiVersion"] = .string(T.resource.apiVersion)
        v["kind"] = .string(T.resource.kind)
        return v
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(KubeError) -> T {
        do {
            return try JSONValueDecoder().decode(type, from: value)
        } catch {
            throw KubeError.decoding("\(T.self): \(error)")
        }
    }

    /// Decodes straight from the bytes (`JSONBytesDecoder`: no `JSONValue` tree); errors as `decode(_:from:)`'s.
    static func decode<T: Decodable>(_ type: T.Type, bytes: [UInt8]) throws(KubeError) -> T {
        do {
            return try JSONBytesDecoder().decode(type, from: bytes)
        } catch {
            throw KubeError.decoding("\(T.self): \(error)")
        }
    }

    static func parse(_ bytes: [UInt8]) throws(KubeError) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw KubeError.decoding(error.description)
        }
    }
}

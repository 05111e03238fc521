import FoundationEssentials
import KubeAPI

/// Codable round trips through Foundation's JSON coders, for cross-checking our own parser.
enum JSONDecoderShim {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue(parsing: Array(JSONEncoder().encode(value)))
    }
}

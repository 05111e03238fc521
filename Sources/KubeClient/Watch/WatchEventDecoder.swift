import KubeAPI

/// Decodes one watch record (`{"type":..., "object":...}`) into a `WatchEvent`.
///
/// Contract: ADDED/MODIFIED/DELETED/BOOKMARK become events; an ERROR record is thrown as the
/// `KubeError` its Status stands for (`.gone` for 410/Expired — the caller relists).
public struct WatchEventDecoder<Object: Decodable & Sendable>: Sendable {
    public init() {}

    public func decode(_ record: [UInt8]) throws(KubeError) -> WatchEvent<Object> {
        let value = try JSONCoding.parse(record)
        return try decode(value)
    }

    public func decode(_ value: JSONValue) throws(KubeError) -> WatchEvent<Object> {
        if value["type"]?.stringValue == "ERROR" {
            let status = value["object"].flatMap { try? JSONValueDecoder().decode(Status.self, from: $0) }
            throw KubeError(status: status, httpCode: status?.code ?? 500)
        }
        return try JSONCoding.decode(WatchEvent<Object>.self, from: value)
    }
}

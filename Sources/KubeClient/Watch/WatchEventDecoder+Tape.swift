import KubeAPI

extension WatchEventDecoder {
    /// The record decoded without `Codable` when `Object` is `TapeDecodable` (`U` is `Object`,
    /// opened from the cast): the same as `Envelope.init(from:)` followed by
    /// `WatchEvent.init(from:)` — `type` required, ERROR → `ErrorRecord` with the Status if it
    /// decodes, ADDED/MODIFIED/DELETED → `object` as `Object`, BOOKMARK → `object.metadata` (absent
    /// → empty), any other type → `.dataCorrupted` at `type` — with the same errors.
    static func event<U: TapeDecodable>(_ type: U.Type, _ root: TapeValue) throws -> WatchEvent<Object> {
        let c = try root.object()
        let kind = try c.string("type")
        func object() throws -> Object { TapeDecoding.identity(try c.decode("object", as: U.self), as: Object.self) }
        switch kind {
        case "ERROR": throw ErrorRecord(status: try? c.decode("object", as: Status.self))
        case "ADDED": return .added(try object())
        case "MODIFIED": return .modified(try object())
        case "DELETED": return .deleted(try object())
        case "BOOKMARK": return .bookmark(try c.object("object").decodeIfPresent("metadata") ?? ObjectMeta())
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [TapeKey("type")],
                                                    debugDescription: "unknown watch event type \(kind)"))
        }
    }
}

/// An ERROR watch record, thrown by `WatchEventDecoder.event` and turned into the `KubeError` its
/// Status stands for (as `Envelope.error` is on the `Codable` path).
struct ErrorRecord: Error {
    let status: Status?
}

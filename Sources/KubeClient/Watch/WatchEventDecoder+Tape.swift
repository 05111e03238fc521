import KubeAPI

extension WatchEventDecoder {
    /// The record decoded without `Codable` when `Object` is `TapeDecodable` (`U` is `Object`,
    /// opened from the cast): the same envelope as `Envelope.init(from:)` followed by
    /// `WatchEvent.init(from:)` — `type` required, ERROR → the Status if it decodes, ADDED/MODIFIED/
    /// DELETED → `object` as `Object`, BOOKMARK → `object.metadata` (absent → empty), any other
    /// type → `.dataCorrupted` at `type` — with the same errors.
    static func envelope<U: TapeDecodable>(_ type: U.Type, _ root: TapeValue) throws -> Envelope {
        let c = try root.object()
        let kind = try c.string("type")
        func object() throws -> Object { TapeDecoding.identity(try c.decode("object", as: U.self), as: Object.self) }
        switch kind {
        case "ERROR": return .error(try? c.decode("object", as: Status.self))
        case "ADDED": return .event(.added(try object()))
        case "MODIFIED": return .event(.modified(try object()))
        case "DELETED": return .event(.deleted(try object()))
        case "BOOKMARK": return .event(.bookmark(try c.object("object").decodeIfPresent("metadata") ?? ObjectMeta()))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [TapeKey("type")],
                                                    debugDescription: "unknown watch event type \(kind)"))
        }
    }
}

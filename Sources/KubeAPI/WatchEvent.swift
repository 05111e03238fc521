/// One event of a watch stream (`{"type": ..., "object": ...}`), decoded with the object as `Object`.
///
/// BOOKMARK events carry only `metadata.resourceVersion` (and annotations such as
/// `k8s.io/initial-events-end`), so they decode into `ObjectMeta`, never into `Object`,
/// whose required fields a bookmark lacks. ERROR events carry a `Status` (e.g. 410 Expired).
public enum WatchEvent<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    case bookmark(ObjectMeta)
    case error(Status)

    /// The wire name of the event type.
    public var type: String {
        switch self {
        case .added: "ADDED"
        case .modified: "MODIFIED"
        case .deleted: "DELETED"
        case .bookmark: "BOOKMARK"
        case .error: "ERROR"
        }
    }
}

extension WatchEvent: Decodable {
    enum CodingKeys: String, CodingKey { case type, object }

    private struct MetaOnly: Decodable { var metadata: ObjectMeta? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .added(try c.decode(Object.self, forKey: .object))
        case "MODIFIED": self = .modified(try c.decode(Object.self, forKey: .object))
        case "DELETED": self = .deleted(try c.decode(Object.self, forKey: .object))
        case "BOOKMARK":
            self = .bookmark(try c.decode(MetaOnly.self, forKey: .object).metadata ?? ObjectMeta())
        case "ERROR": self = .error(try c.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                                                   debugDescription: "unknown watch event type \(type)")
        }
    }
}

extension WatchEvent: Encodable where Object: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): try c.encode(o, forKey: .object)
        case .bookmark(let m): try c.encode(["metadata": m], forKey: .object)
        case .error(let s): try c.encode(s, forKey: .object)
        }
    }
}

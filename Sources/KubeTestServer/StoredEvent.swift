import KubeAPI

/// The three object event types a watch can carry (BOOKMARK and ERROR are synthesised per watcher).
public enum ObjectEventType: String, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One committed change: the unit of the watch history and of watcher fan-out.
///
/// `objectBytes` is the object serialized once at commit time; every watcher and the HTTP response
/// of the write reuse it, so a write costs one serialization however many watchers there are.
public struct StoredEvent: Sendable {
    public let resourceVersion: Int64
    public let storageKey: String
    public let namespace: String?
    public let type: ObjectEventType
    /// The state after the change (for DELETED: the last state, stamped with the deletion's resourceVersion).
    public let object: JSONValue
    /// The state before the change (nil for ADDED).
    public let previous: JSONValue?
    public let objectBytes: [UInt8]

    init(resourceVersion: Int64, storageKey: String, namespace: String?, type: ObjectEventType,
         object: JSONValue, previous: JSONValue?) {
        self.resourceVersion = resourceVersion
        self.storageKey = storageKey
        self.namespace = namespace
        self.type = type
        self.object = object
        self.previous = previous
        self.objectBytes = object.serialized()
    }
}

/// Where a watcher's frames go. Implementations must not call back into the store synchronously
/// (the store calls `send` while holding its lock) and must preserve call order.
public protocol WatchSink: AnyObject, Sendable {
    /// One complete watch frame (`{"type":...,"object":...}\n`), in parts to avoid concatenation.
    func send(_ parts: [[UInt8]])
    /// Ends the stream (timeout, server restart, `cutWatches`).
    func finish()
}

extension WatchSink {
    func sendFrame(type: String, objectBytes: [UInt8]) {
        send([FramePrefix.bytes(type), objectBytes, FramePrefix.suffix])
    }
}

/// Pre-encoded frame pieces (`{"type":"ADDED","object":` … `}\n`).
enum FramePrefix {
    static let added = Array("{\"type\":\"ADDED\",\"object\":".utf8)
    static let modified = Array("{\"type\":\"MODIFIED\",\"object\":".utf8)
    static let deleted = Array("{\"type\":\"DELETED\",\"object\":".utf8)
    static let suffix: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "\n")]

    static func bytes(_ type: String) -> [UInt8] {
        switch type {
        case "ADDED": added
        case "MODIFIED": modified
        case "DELETED": deleted
        default: Array("{\"type\":\"\(type)\",\"object\":".utf8)
        }
    }
}

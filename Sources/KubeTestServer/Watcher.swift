import KubeAPI
import Synchronization

/// What a watch request selects and how it wants objects rendered.
public struct WatchFilter: Sendable {
    public var type: ResourceType
    public var namespace: String?
    public var labels: LabelSelector
    public var fields: FieldSelector
    /// Render each object as a one-row `meta.k8s.io/v1` Table (kubectl `get -w`).
    public var asTable: Bool

    public init(type: ResourceType, namespace: String? = nil, labels: LabelSelector = .everything,
                fields: FieldSelector = .everything, asTable: Bool = false) {
        self.type = type
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
        self.asTable = asTable
    }

    /// Whether `object` (of this filter's resource) is selected.
    public func matches(_ object: JSONValue) -> Bool {
        if let ns = namespace, object[path: ["metadata", "namespace"]]?.stringValue != ns { return false }
        if !labels.requirements.isEmpty,
           !labels.matches(object[path: ["metadata", "labels"]]?.objectValue) { return false }
        if !fields.requirements.isEmpty, !fields.matches(object) { return false }
        return true
    }
}

/// A registered watch: its filter, its sink, and whether it asked for bookmarks.
final class Watcher: Sendable {
    let id: Int
    let filter: WatchFilter
    let sink: any WatchSink
    let bookmarks: Bool
    /// Table watches: `columnDefinitions` go with the first object event only, as on a real server.
    private let tableColumnsSent = Mutex(false)

    init(id: Int, filter: WatchFilter, sink: any WatchSink, bookmarks: Bool) {
        self.id = id
        self.filter = filter
        self.sink = sink
        self.bookmarks = bookmarks
    }

    /// Sends `event` if it concerns this watcher, translating selector transitions like the
    /// apiserver's cacher: into the selection → ADDED, out of it → DELETED (previous state, new RV).
    func deliver(_ event: StoredEvent) {
        guard event.storageKey == filter.type.storageKey else { return }
        if let ns = filter.namespace, event.namespace != ns { return }
        let nowMatches = filter.matches(event.object)
        let wasMatching = event.previous.map(filter.matches) ?? false
        switch event.type {
        case .added:
            if nowMatches { send("ADDED", event.object, event.objectBytes) }
        case .deleted:
            if nowMatches || wasMatching { send("DELETED", event.object, event.objectBytes) }
        case .modified:
            if nowMatches && wasMatching {
                send("MODIFIED", event.object, event.objectBytes)
            } else if nowMatches {
                send("ADDED", event.object, event.objectBytes)
            } else if wasMatching, var old = event.previous {
                old.set(path: ["metadata", "resourceVersion"], to: .string(String(event.resourceVersion)))
                send("DELETED", old, nil)
            }
        }
    }

    /// Sends one object frame, rewriting apiVersion for another served version or rendering a Table.
    func send(_ type: String, _ object: JSONValue, _ bytes: [UInt8]?) {
        if filter.asTable {
            var table = TableRenderer.table(for: filter.type, objects: [object], resourceVersion: nil)
            if tableColumnsSent.withLock({ sent in defer { sent = true }; return sent }) { table["columnDefinitions"] = .null }
            sink.sendFrame(type: type, objectBytes: table.serialized())
            return
        }
        if !Presentation.isIdentity(filter.type, storedAPIVersion: object["apiVersion"]?.stringValue) {
            sink.sendFrame(type: type, objectBytes: Presentation.present(object, as: filter.type).serialized())
        } else {
            sink.sendFrame(type: type, objectBytes: bytes ?? object.serialized())
        }
    }

    func sendBookmark(resourceVersion: Int64, initialEventsEnd: Bool = false) {
        // No `creationTimestamp: null`: 1.35 omits the zero timestamp (omitzero).
        var meta: JSONValue = ["resourceVersion": .string(String(resourceVersion))]
        if initialEventsEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONValue = ["kind": .string(filter.type.kind), "apiVersion": .string(filter.type.apiVersion),
                                 "metadata": meta]
        sink.sendFrame(type: "BOOKMARK", objectBytes: object.serialized())
    }
}

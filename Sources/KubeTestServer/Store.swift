import Foundation
import KubeAPI
import Synchronization

/// The in-memory API storage: thread-safe, synchronous, independent of HTTP.
///
/// Every operation runs under one lock, so operations are linearizable and resourceVersions are
/// assigned in commit order; watchers receive events in that order. Controllers (GC, namespace
/// lifecycle, CRDs, fake job controller) run inside the write that triggered them.
public final class Store: Sendable {
    let state: Mutex<StoreState>

    public init(options: ServerOptions = ServerOptions(),
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        state = Mutex(StoreState(options: options, clock: clock))
        state.withLock { s in
            for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                _ = try? s.create(s.registry.lookup(group: "", version: "v1", plural: "namespaces")!, namespace: nil,
                                  body: ["metadata": ["name": .string(ns)]], options: WriteOptions())
            }
            s.bootstrapRBAC()
            s.compactedRV = 1
        }
    }

    /// The served type at a path, or nil.
    public func resourceType(group: String, version: String, plural: String) -> ResourceType? {
        state.withLock { $0.registry.lookup(group: group, version: version, plural: plural) }
    }

    public var registeredTypes: [ResourceType] { state.withLock { $0.registry.types } }

    public var currentResourceVersion: Int64 { state.withLock { $0.resourceVersion } }

    public func create(_ type: ResourceType, namespace: String?, body: JSONValue,
                       options: WriteOptions = WriteOptions()) throws(APIError) -> WriteResult {
        try state.withLock { s throws(APIError) in try s.create(type, namespace: namespace, body: body, options: options) }
    }

    public func update(_ type: ResourceType, namespace: String?, name: String, body: JSONValue,
                       subresource: String? = nil, options: WriteOptions = WriteOptions()) throws(APIError) -> WriteResult {
        try state.withLock { s throws(APIError) in
            try s.update(type, namespace: namespace, name: name, body: body, subresource: subresource, options: options)
        }
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, patch: PatchRequest,
                      subresource: String? = nil, options: WriteOptions = WriteOptions()) throws(APIError) -> WriteResult {
        try state.withLock { s throws(APIError) in
            try s.patch(type, namespace: namespace, name: name, patch: patch, subresource: subresource, options: options)
        }
    }

    public func delete(_ type: ResourceType, namespace: String?, name: String,
                       options: DeleteOptions = DeleteOptions()) throws(APIError) -> WriteResult {
        try state.withLock { s throws(APIError) in try s.delete(type, namespace: namespace, name: name, options: options) }
    }

    public func deleteCollection(_ type: ResourceType, namespace: String?, labels: LabelSelector = .everything,
                                 fields: FieldSelector = .everything,
                                 options: DeleteOptions = DeleteOptions()) throws(APIError) -> [JSONValue] {
        try state.withLock { s throws(APIError) in
            try s.deleteCollection(type, namespace: namespace, labels: labels, fields: fields, options: options)
        }
    }

    public func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        try state.withLock { s throws(APIError) in try s.get(type, namespace: namespace, name: name) }
    }

    public func list(_ filter: WatchFilter, limit: Int? = nil, continueToken: String? = nil,
                     resourceVersion: String? = nil, match: String? = nil) throws(APIError) -> ListResult {
        try state.withLock { s throws(APIError) in
            try s.list(filter, limit: limit, continueToken: continueToken, resourceVersion: resourceVersion, match: match)
        }
    }

    /// Starts a watch; returns its id (nil when it ended at once with a 410 ERROR event).
    public func watch(_ filter: WatchFilter, resourceVersion: String?, sendInitialEvents: Bool = false,
                      bookmarks: Bool = false, sink: any WatchSink) throws(APIError) -> Int? {
        try state.withLock { s throws(APIError) in
            try s.watch(filter, resourceVersion: resourceVersion, sendInitialEvents: sendInitialEvents,
                        bookmarks: bookmarks, sink: sink)
        }
    }

    public func stopWatch(_ id: Int) {
        state.withLock { $0.stopWatch(id) }
    }

    /// Sends a BOOKMARK now to one watcher (by id) or to all that allow bookmarks.
    public func sendBookmarks(watcherID: Int? = nil) {
        state.withLock { $0.bookmark(watcherID: watcherID) }
    }

    /// Ends every open watch stream (clients see a clean end of stream and must re-watch).
    public func cutWatches() {
        let sinks = state.withLock { s -> [any WatchSink] in
            let sinks = s.watchers.values.map(\.sink)
            s.watchers.removeAll()
            return sinks
        }
        for sink in sinks { sink.finish() }
    }

    /// Forgets the watch history: watching from any resourceVersion older than now gets 410 Expired.
    public func compactHistory() {
        state.withLock { $0.compact(keeping: 0) }
    }

    /// Number of open watches (for tests that wait until a client is watching).
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Sets the SubjectAccessReview policy (nil: allow everything).
    public func setAccessPolicy(_ policy: (@Sendable (JSONValue) -> Bool)?) {
        state.withLock { $0.accessPolicy = policy }
    }

    func withState<R>(_ body: (inout StoreState) throws(APIError) -> R) throws(APIError) -> R {
        try state.withLock { s throws(APIError) in try body(&s) }
    }
}

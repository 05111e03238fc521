import Foundation
import KubeAPI

/// One page of a list.
public struct ListResult: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: Int64
    public var continueToken: String?
    public var remainingItemCount: Int64?
}

extension StoreState {
    func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        let ref = ObjectRef(storageKey: type.storageKey, namespace: type.namespaced ? namespace : nil, name: name)
        guard let obj = object(ref) else { throw .notFound(type, name: name) }
        return present(obj, as: type)
    }

    /// Lists in key order (namespace/name), filtered, paginated by `limit` and `continue`.
    ///
    /// Unlike etcd, later pages are served from the current state, not a snapshot of the first
    /// page's resourceVersion; a token older than the compacted history is 410 Expired, as upstream.
    func list(_ filter: WatchFilter, limit: Int?, continueToken: String?) throws(APIError) -> ListResult {
        var startAfter: String?
        if let token = continueToken, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":"), let rv = Int64(text[..<colon]) else {
                throw .badRequest("continue key is not valid: illegal base64 data at input byte 0")
            }
            if rv < compactedRV {
                throw .expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            }
            startAfter = String(text[text.index(after: colon)...])
        }
        let all = objects[filter.type.storageKey] ?? [:]
        var keys = all.keys.filter { key in
            if let ns = filter.namespace, !key.hasPrefix(ns + "/") { return false }
            if let s = startAfter, key <= s { return false }
            return true
        }
        keys.sort()
        var items: [JSONValue] = []
        var lastKey: String?
        var remaining: Int64 = 0
        for key in keys {
            guard let obj = all[key], filter.matches(obj) else { continue }
            if let limit, limit > 0, items.count >= limit {
                remaining += 1
                continue
            }
            items.append(present(obj, as: filter.type))
            lastKey = key
        }
        var result = ListResult(items: items, resourceVersion: resourceVersion)
        if remaining > 0, let lastKey {
            result.continueToken = Data("\(resourceVersion):\(lastKey)".utf8).base64EncodedString()
            result.remainingItemCount = remaining
        }
        return result
    }

    /// Registers a watch after sending its initial events: the current objects as ADDED (no or `0`
    /// resourceVersion, or `sendInitialEvents`), or the retained history after `resourceVersion`.
    /// A resourceVersion older than the retained history gets one ERROR (410 Expired) and ends.
    mutating func watch(_ filter: WatchFilter, resourceVersion: String?, sendInitialEvents: Bool,
                        bookmarks: Bool, sink: any WatchSink) throws(APIError) -> Int? {
        let watcher = Watcher(id: nextWatcherID, filter: filter, sink: sink, bookmarks: bookmarks)
        nextWatcherID += 1
        let rv = resourceVersion ?? ""
        if rv.isEmpty || rv == "0" || sendInitialEvents {
            let all = objects[filter.type.storageKey] ?? [:]
            for key in all.keys.sorted() {
                guard let obj = all[key], filter.matches(obj) else { continue }
                watcher.send("ADDED", obj, nil)
            }
            if sendInitialEvents && bookmarks {
                watcher.sendBookmark(resourceVersion: self.resourceVersion, initialEventsEnd: true)
            }
        } else {
            guard let from = Int64(rv) else {
                throw .badRequest("resourceVersion: Invalid value: \"\(rv)\": must be a non-negative integer")
            }
            if from < compactedRV {
                let status = APIError.expired("too old resource version: \(from) (\(compactedRV + 1))").status
                sink.sendFrame(type: "ERROR", objectBytes: status.serialized())
                sink.finish()
                return nil
            }
            for event in retainedHistory where event.resourceVersion > from {
                watcher.deliver(event)
            }
        }
        watchers[watcher.id] = watcher
        return watcher.id
    }

    mutating func stopWatch(_ id: Int) {
        watchers.removeValue(forKey: id)
    }

    /// Sends a BOOKMARK at the current resourceVersion to one watcher, or to every watcher that allows them.
    func bookmark(watcherID: Int?) {
        if let id = watcherID {
            if let w = watchers[id], w.bookmarks { w.sendBookmark(resourceVersion: resourceVersion) }
            return
        }
        for w in watchers.values where w.bookmarks { w.sendBookmark(resourceVersion: resourceVersion) }
    }
}

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
    /// Like etcd, every page is cut from the snapshot at the first page's resourceVersion (kept in
    /// the continue token); `resourceVersionMatch=Exact` lists the snapshot at `resourceVersion`.
    /// A revision older than the retained history is 410 Expired; one newer than the store is 504
    /// (the HTTP layer first waits for it, as the watch cache does).
    func list(_ filter: WatchFilter, limit: Int?, continueToken: String?, resourceVersion: String? = nil,
              match: String? = nil) throws(APIError) -> ListResult {
        var startAt: String?
        var at: Int64?
        if let text = continueToken, !text.isEmpty {
            if let rv = resourceVersion, !rv.isEmpty, rv != "0" {
                throw .badRequest("specifying resource version is not allowed when using continue")
            }
            let token = try ContinueToken.decode(text)
            if token.resourceVersion > 0 && token.resourceVersion < compactedRV {
                // handleCompactedErrorForPaging: the Status carries a token (rv -1) that goes on at the latest state.
                var latest = token
                latest.resourceVersion = -1
                var error = APIError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                error.listContinue = latest.encoded
                throw error
            }
            startAt = token.startStoreKey(namespace: filter.namespace)
            if token.resourceVersion > 0 { at = min(token.resourceVersion, self.resourceVersion) }
        } else if let text = resourceVersion, !text.isEmpty, text != "0" {
            guard let rv = Int64(text), rv >= 0 else {
                throw .badRequest("resourceVersion: Invalid value: \"\(text)\": must be a non-negative integer")
            }
            if rv > self.resourceVersion { throw tooLargeResourceVersion(rv) }
            if match == "Exact" { at = rv }
        }
        var all = objects[filter.type.storageKey] ?? [:]
        if let at {
            guard let snap = snapshot(filter.type.storageKey, at: at) else { throw Self.listTooOld }
            all = snap
        }
        let listRV = at ?? self.resourceVersion
        var keys = all.keys.filter { key in
            if let ns = filter.namespace, !key.hasPrefix(ns + "/") { return false }
            if let s = startAt, key < s { return false }
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
        var result = ListResult(items: items, resourceVersion: listRV)
        if remaining > 0, let lastKey {
            result.continueToken = ContinueToken(resourceVersion: listRV, after: lastKey, namespace: filter.namespace).encoded
            // Counted only for an unfiltered list (etcd counts keys, not matches).
            if filter.labels.requirements.isEmpty && filter.fields.requirements.isEmpty {
                result.remainingItemCount = remaining
            }
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

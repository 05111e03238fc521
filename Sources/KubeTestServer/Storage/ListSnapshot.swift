import KubeAPI

/// The objects of one resource as they were at an earlier resourceVersion, rebuilt from the
/// retained history (what etcd answers for `resourceVersionMatch=Exact` and for the later pages of
/// a paginated list: every page is cut from the snapshot of the first page's revision).
extension StoreState {
    /// Objects of `storageKey` (key → object) at `resourceVersion`; nil when that revision is older
    /// than the retained history (compacted).
    func snapshot(_ storageKey: String, at resourceVersion: Int64) -> ObjectTable? {
        var objects = self.objects[storageKey] ?? [:]
        guard resourceVersion < self.resourceVersion else { return objects }
        guard resourceVersion >= compactedRV else { return nil }
        for event in retainedHistory.reversed() {
            if event.resourceVersion <= resourceVersion { break }
            guard event.storageKey == storageKey else { continue }
            let key = ObjectRef(storageKey: storageKey, namespace: event.namespace,
                                name: event.object[path: ["metadata", "name"]]?.stringValue ?? "").key
            switch event.type {
            case .added: objects.removeValue(forKey: key)
            case .modified, .deleted: objects[key] = event.previous
            }
        }
        return objects
    }

    /// `410 Expired` for a list at a compacted revision (etcd3 store's `interpretListError`).
    static let listTooOld = APIError.expired("The resourceVersion for the provided list is too old.")

    /// `504 Timeout` for a list at a revision the store has not reached (after the ~3 s wait).
    func tooLargeResourceVersion(_ requested: Int64) -> APIError {
        APIError(code: 504, reason: "Timeout",
                 message: "Timeout: Too large resource version: \(requested), current: \(resourceVersion)",
                 details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]]],
                 retryAfterSeconds: 1)
    }
}

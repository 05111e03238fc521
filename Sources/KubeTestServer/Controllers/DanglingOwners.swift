import KubeAPI

/// The garbage collector's check of a live object's owners (`attemptToDeleteItem`): an object
/// none of whose `ownerReferences` exists — e.g. an owner uid that never existed — is deleted
/// (background, or the policy its own `orphan`/`foregroundDeletion` finalizer asks for); one with
/// some live and some dangling owners loses the dangling references. (Owners that go away later
/// are handled by `collectDependents(of:)`.)
extension StoreState {
    mutating func collectIfOwnersAreGone(_ event: StoredEvent) {
        guard event.type != .deleted, event.object[path: ["metadata", "deletionTimestamp"]] == nil,
              let refs = event.object[path: ["metadata", "ownerReferences"]]?.arrayValue, !refs.isEmpty else { return }
        let ref = Self.ref(of: event.object, storageKey: event.storageKey)
        guard let current = object(ref), current == event.object else { return }  // a later change will be checked
        let live = refs.filter { r in r["uid"]?.stringValue.map { uidIndex[$0] != nil } ?? false }
        if live.count == refs.count { return }
        if live.isEmpty {
            let finalizers = (current[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
            let policy = finalizers.contains("orphan") ? "Orphan"
                : finalizers.contains("foregroundDeletion") ? "Foreground" : "Background"
            deleteObject(ref, policy: policy)
        } else {
            var updated = current
            updated.set(path: ["metadata", "ownerReferences"], to: .array(live))
            commit(.modified, storageKey: ref.storageKey, object: updated, previous: current)
        }
    }
}

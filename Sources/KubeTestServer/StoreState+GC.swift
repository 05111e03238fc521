import KubeAPI

/// Garbage collection by ownerReferences, as the kube-controller-manager's garbage collector does it
/// (synchronously here): background, foreground (`foregroundDeletion` finalizer) and orphan
/// (`orphan` finalizer) propagation.
extension StoreState {
    /// After an owner is gone: dependents with no remaining live owner are deleted (background);
    /// dependents that still have a live owner lose their dangling references.
    mutating func collectDependents(of uid: String) {
        for ref in dependents[uid] ?? [] {
            guard let dep = object(ref) else { continue }
            let refs = dep[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let live = refs.filter { r in r["uid"]?.stringValue.map { $0 != uid && uidIndex[$0] != nil } ?? false }
            if live.isEmpty {
                deleteObject(ref, policy: "Background")
            } else {
                var updated = dep
                updated.set(path: ["metadata", "ownerReferences"], to: .array(live))
                commit(.modified, storageKey: ref.storageKey, object: updated, previous: dep)
            }
        }
    }

    /// An owner being deleted with `foregroundDeletion` or `orphan`: delete (foreground) or release
    /// (orphan) its dependents, then drop the finalizer so the owner can go.
    mutating func processDeletingOwner(_ uid: String) {
        guard let ref = uidIndex[uid], let owner = object(ref),
              owner[path: ["metadata", "deletionTimestamp"]] != nil else { return }
        let finalizers = (owner[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        if finalizers.contains("orphan") {
            for depRef in dependents[uid] ?? [] {
                guard let dep = object(depRef) else { continue }
                var updated = dep
                let refs = (dep[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
                updated.set(path: ["metadata", "ownerReferences"], to: refs.isEmpty ? nil : .array(refs))
                commit(.modified, storageKey: depRef.storageKey, object: updated, previous: dep)
            }
            removeFinalizer("orphan", from: ref)
        } else if finalizers.contains("foregroundDeletion") {
            for depRef in dependents[uid] ?? [] { deleteObject(depRef, policy: "Foreground") }
            let blocking = (dependents[uid] ?? []).filter { depRef in
                guard let dep = object(depRef) else { return false }
                return (dep[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                    $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true
                }
            }
            if blocking.isEmpty { removeFinalizer("foregroundDeletion", from: ref) }
        }
    }
}

import KubeAPI

/// The apiextensions-apiserver's CRD deletion path: `DELETE` of a CRD sets `deletionTimestamp`,
/// the `customresourcecleanup.apiextensions.k8s.io` finalizer and a `Terminating` condition
/// (`InstanceDeletionPending`); the finalizer controller then deletes every custom resource
/// (`InstanceDeletionInProgress` while some remain, e.g. held by their own finalizers) and, once
/// none is left, records `InstanceDeletionCompleted` and drops its finalizer, removing the CRD.
///
/// It re-runs whenever one of the CRD's custom resources changes, so a CR whose last finalizer is
/// removed lets the CRD go in the same write.
extension StoreState {
    static let crdStorageKey = "customresourcedefinitions.apiextensions.k8s.io"

    /// Marks a CRD about to be deleted (called by the DELETE that sets its `deletionTimestamp`).
    func markCRDTerminating(_ crd: inout JSONValue) {
        Self.setCondition(&crd, type: "Terminating", status: "True", reason: "InstanceDeletionPending",
                          message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                          now: now())
    }

    /// The CRD (by name) defining the custom resources stored under `storageKey`, when it is being deleted.
    /// Runs for every committed event: the `.` pre-check is a byte scan, not Foundation's `contains`.
    func terminatingCRD(definingStorageKey storageKey: String) -> String? {
        guard storageKey.utf8.contains(UInt8(ascii: ".")), let crd = registry.anyVersion(storageKey: storageKey)?.crdName,
              objects[Self.crdStorageKey]?[crd]?[path: ["metadata", "deletionTimestamp"]] != nil else { return nil }
        return crd
    }

    /// One pass of the finalizer controller over a terminating CRD.
    mutating func finalizeCRD(_ name: String) {
        guard let crd = objects[Self.crdStorageKey]?[name], crd[path: ["metadata", "deletionTimestamp"]] != nil,
              (crd[path: ["metadata", "finalizers"]]?.arrayValue ?? []).contains(.string(CRDTypes.cleanupFinalizer))
        else { return }
        let storageKey = CRDTypes.storageKey(of: crd)
        for (_, obj) in objects[storageKey] ?? [:] where obj[path: ["metadata", "deletionTimestamp"]] == nil {
            deleteObject(Self.ref(of: obj, storageKey: storageKey), policy: "Background")
        }
        var updated = objects[Self.crdStorageKey]?[name] ?? crd
        let previous = updated
        if !(objects[storageKey] ?? [:]).isEmpty {
            Self.setCondition(&updated, type: "Terminating", status: "True", reason: "InstanceDeletionInProgress",
                              message: "CustomResource deletion is in progress", now: now())
            if updated != previous { commit(.modified, storageKey: Self.crdStorageKey, object: updated, previous: previous) }
            return
        }
        Self.setCondition(&updated, type: "Terminating", status: "False", reason: "InstanceDeletionCompleted",
                          message: "removed all instances", now: now())
        if updated != previous { commit(.modified, storageKey: Self.crdStorageKey, object: updated, previous: previous) }
        // Dropping the finalizer deletes the CRD (DELETED carries the last stored state).
        removeFinalizer(CRDTypes.cleanupFinalizer, from: ObjectRef(storageKey: Self.crdStorageKey, namespace: nil, name: name))
    }

    /// Sets `status.conditions[type]`, keeping `lastTransitionTime` when the status does not change.
    static func setCondition(_ object: inout JSONValue, type: String, status: String, reason: String,
                             message: String, now: String) {
        var conditions = object[path: ["status", "conditions"]]?.arrayValue ?? []
        var condition: JSONValue = ["type": .string(type), "status": .string(status), "reason": .string(reason),
                                    "message": .string(message), "lastTransitionTime": .string(now)]
        if let i = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
            if conditions[i]["status"]?.stringValue == status, let t = conditions[i]["lastTransitionTime"] {
                condition["lastTransitionTime"] = t
            }
            conditions[i] = condition
        } else {
            conditions.append(condition)
        }
        object.set(path: ["status", "conditions"], to: .array(conditions))
    }
}

extension StoreState {
    /// A deleted CRD's API is gone: its custom resources' watches end (a clean end of stream, as the
    /// apiextensions-apiserver closes them when it tears the storage down).
    mutating func closeWatches(ofCRD name: String) {
        for (id, watcher) in watchers where watcher.filter.type.crdName == name {
            watchers.removeValue(forKey: id)
            watcher.sink.finish()
        }
    }
}

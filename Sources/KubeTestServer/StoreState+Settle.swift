import KubeAPI

/// The in-process controllers (garbage collector, namespace lifecycle, CRD establishment and
/// cleanup, service accounts, the fake job controller) run synchronously after every write, inside
/// the same critical section, until nothing is left to do. A client therefore never observes a
/// half-processed state between two requests, and watchers see the same event sequence a real
/// cluster would produce (e.g. namespace MODIFIED→Terminating, contents DELETED, namespace DELETED).
extension StoreState {
    mutating func settle() {
        var dirtyNamespaces: Set<String> = []
        var dirtyCRDs: Set<String> = []
        var dirtyOwners: Set<String> = []
        var dirtyQuotas: Set<String> = []
        var blockedJobs: Set<String> = []
        while true {
            while !pending.isEmpty {
                let event = pending.removeFirst()
                react(to: event, namespaces: &dirtyNamespaces, crds: &dirtyCRDs, owners: &dirtyOwners)
                if let ns = event.namespace {
                    if affectsQuotas(event) { dirtyQuotas.insert(ns) }
                    if mayUnblockJobPods(event) { blockedJobs.insert(ns) }
                }
            }
            if let uid = dirtyOwners.popFirst() {
                processDeletingOwner(uid)
            } else if let ns = dirtyNamespaces.popFirst() {
                processTerminatingNamespace(ns)
            } else if let crd = dirtyCRDs.popFirst() {
                processDeletingCRD(crd)
            } else if let ns = dirtyQuotas.popFirst() {
                syncQuotas(in: ns)
            } else if let ns = blockedJobs.popFirst() {
                retryJobPods(in: ns)
            } else {
                return
            }
        }
    }

    private mutating func react(to event: StoredEvent, namespaces: inout Set<String>, crds: inout Set<String>,
                                owners: inout Set<String>) {
        let obj = event.object
        let meta = obj["metadata"]?.objectValue ?? [:]
        let name = meta["name"]?.stringValue ?? ""
        let deleting = meta["deletionTimestamp"] != nil
        if event.type == .deleted {
            if let uid = meta["uid"]?.stringValue { collectDependents(of: uid) }
            for owner in meta["ownerReferences"]?.arrayValue ?? [] {
                if let uid = owner["uid"]?.stringValue, uidIndex[uid] != nil { owners.insert(uid) }
            }
        } else if deleting, let uid = meta["uid"]?.stringValue {
            let finalizers = (meta["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if finalizers.contains("foregroundDeletion") || finalizers.contains("orphan") { owners.insert(uid) }
        }
        if let ns = event.namespace,
           objects["namespaces"]?[ns]?[path: ["metadata", "deletionTimestamp"]] != nil { namespaces.insert(ns) }
        if let crd = terminatingCRD(definingStorageKey: event.storageKey) { crds.insert(crd) }
        publishRootCA(after: event)
        collectIfOwnersAreGone(event)
        switch event.storageKey {
        case "namespaces":
            if event.type == .added { createDefaultServiceAccount(in: name) }
            if event.type != .deleted && deleting { namespaces.insert(name) }
        case "customresourcedefinitions.apiextensions.k8s.io":
            if event.type == .deleted {
                registry.setCRDTypes(crdName: name, [])
                closeWatches(ofCRD: name)
            } else {
                registry.setCRDTypes(crdName: name, CRDTypes.types(of: obj))
                if deleting { crds.insert(name) }
            }
        case "jobs.batch":
            if event.type == .added { jobCreated(obj) }
        case "pods":
            if event.type != .added { podChanged(obj) }
        case RBACAuthorizer.clusterRoles:
            aggregateClusterRoles()
        case "secrets":
            if event.type == .added { fillServiceAccountToken(obj) }
        default:
            break
        }
        reactWorkloads(to: event)
    }

    private mutating func createDefaultServiceAccount(in ns: String) {
        guard options.defaultServiceAccounts, objects["serviceaccounts"]?["\(ns)/default"] == nil else { return }
        let sa: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": ["name": "default", "namespace": .string(ns), "uid": .string(ObjectNames.uid()),
                                          "creationTimestamp": .string(now())]]
        commit(.added, storageKey: "serviceaccounts", object: sa, previous: nil)
    }

    /// Deletes the contents of a Terminating namespace; removes the `kubernetes` finalizer (and with it
    /// the namespace) once nothing is left, else records why it is still Terminating in its conditions.
    private mutating func processTerminatingNamespace(_ ns: String) {
        guard let nsObj = objects["namespaces"]?[ns], nsObj[path: ["metadata", "deletionTimestamp"]] != nil else { return }
        var remaining: [(ObjectRef, JSONValue)] = []
        for (storageKey, items) in objects where storageKey != "namespaces" {
            for (_, obj) in items where obj[path: ["metadata", "namespace"]]?.stringValue == ns {
                remaining.append((Self.ref(of: obj, storageKey: storageKey), obj))
            }
        }
        for (ref, obj) in remaining where obj[path: ["metadata", "deletionTimestamp"]] == nil {
            deleteObject(ref, policy: "Background")
        }
        if !pending.isEmpty { return }  // reactions first; the namespace is re-examined afterwards
        let left = remaining.compactMap { object($0.0) }
        var updated = nsObj
        if left.isEmpty {
            updated.set(path: ["spec", "finalizers"], to: nil)
            updated.set(path: ["status", "conditions"], to: nil)
            let metaFinalizers = nsObj[path: ["metadata", "finalizers"]]?.arrayValue ?? []
            if metaFinalizers.isEmpty {
                // Finalized then deleted: the DELETED event carries the last stored state, as etcd's.
                commit(.deleted, storageKey: "namespaces", object: nsObj, previous: nsObj)
            } else if updated != nsObj {
                // Held by `metadata.finalizers`: stays Terminating (spec finalizers done) until they go.
                commit(.modified, storageKey: "namespaces", object: updated, previous: nsObj)
            }
            return
        }
        let finalizers = Set(left.flatMap { ($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue) })
        let now = self.now()
        var conditions: [JSONValue] = [
            ["type": "NamespaceContentRemaining", "status": "True", "lastTransitionTime": .string(now),
             "reason": "SomeResourcesRemain", "message": .string("Some resources are remaining: \(left.count) object(s)")],
        ]
        if !finalizers.isEmpty {
            conditions.append(["type": "NamespaceFinalizersRemaining", "status": "True", "lastTransitionTime": .string(now),
                               "reason": "SomeFinalizersRemain",
                               "message": .string("Some content in the namespace has finalizers remaining: \(finalizers.sorted().joined(separator: ", "))")])
        }
        let old = (nsObj[path: ["status", "conditions"]]?.arrayValue ?? []).map { c -> JSONValue in
            var c = c; c["lastTransitionTime"] = nil; return c
        }
        let new = conditions.map { c -> JSONValue in var c = c; c["lastTransitionTime"] = nil; return c }
        if old != new {
            updated.set(path: ["status", "conditions"], to: .array(conditions))
            commit(.modified, storageKey: "namespaces", object: updated, previous: nsObj)
        }
    }

    /// A deleted CRD takes its custom resources with it; the CRD goes once they are all gone.
    private mutating func processDeletingCRD(_ name: String) {
        finalizeCRD(name)
    }
}

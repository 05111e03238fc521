import KubeAPI

/// Routes committed events to the workload controllers (deployment, replicaset, disruption);
/// called from `settle()` for every event, inside the same critical section.
extension StoreState {
    mutating func reactWorkloads(to event: StoredEvent) {
        let obj = event.object
        let key = Self.ref(of: obj, storageKey: event.storageKey).key
        switch event.storageKey {
        case WorkloadResources.deployments:
            if event.type != .deleted { syncDeployment(key) }
        case WorkloadResources.replicaSets:
            if event.type != .deleted { syncReplicaSet(key) }
            if let dep = controller(of: obj, kind: "Deployment") {
                syncDeployment(Self.ref(of: dep, storageKey: WorkloadResources.deployments).key)
            }
        case WorkloadResources.pdbs:
            if event.type != .deleted { syncPDB(key) }
        case "pods":
            if event.type == .added, kubeletRunsPods, controller(of: obj, kind: "ReplicaSet") != nil { markRunning(obj) }
            if let rs = controller(of: obj, kind: "ReplicaSet") {
                syncReplicaSet(Self.ref(of: rs, storageKey: WorkloadResources.replicaSets).key)
            }
            if let ns = event.namespace, objects[WorkloadResources.pdbs]?.isEmpty == false { syncPDBs(in: ns) }
        default:
            break
        }
    }
}

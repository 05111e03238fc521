import KubeAPI

/// The fake disruption controller: a PodDisruptionBudget's status follows the pods its selector
/// matches in its namespace (`expectedPods` is the number of matching live pods, where the real
/// controller asks their owners' scale), with the real `DisruptionAllowed` condition.
extension StoreState {
    mutating func syncPDBs(in namespace: String) {
        for (key, pdb) in objects[WorkloadResources.pdbs] ?? [:]
        where pdb[path: ["metadata", "namespace"]]?.stringValue == namespace {
            syncPDB(key)
        }
    }

    /// The live (not terminating, not finished) pods of `namespace` that `pdb` selects.
    func pods(selectedBy pdb: JSONValue) -> [JSONValue] {
        let ns = pdb[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let selector = LabelSelector(json: pdb[path: ["spec", "selector"]] ?? [:])
        return (objects["pods"] ?? [:]).values.filter {
            let phase = $0[path: ["status", "phase"]]?.stringValue
            return $0[path: ["metadata", "namespace"]]?.stringValue == ns && $0[path: ["metadata", "deletionTimestamp"]] == nil
                && phase != "Succeeded" && phase != "Failed"
                && selector.matches($0[path: ["metadata", "labels"]]?.objectValue)
        }
    }

    mutating func syncPDB(_ key: String) {
        guard let pdb = objects[WorkloadResources.pdbs]?[key], pdb[path: ["metadata", "deletionTimestamp"]] == nil else { return }
        let pods = self.pods(selectedBy: pdb)
        let expected = Int64(pods.count)
        let healthy = Int64(pods.filter(Self.isReady).count)
        var desired: Int64 = 0
        if let maxUnavailable = pdb[path: ["spec", "maxUnavailable"]] {
            desired = max(0, expected - Self.scaled(maxUnavailable, of: expected, roundUp: true))
        } else if let minAvailable = pdb[path: ["spec", "minAvailable"]] {
            desired = Self.scaled(minAvailable, of: expected, roundUp: true)
        }
        let allowed = max(0, healthy - desired)
        var status = pdb["status"] ?? [:]
        let generation = pdb[path: ["metadata", "generation"]] ?? 1
        status["observedGeneration"] = generation
        status["expectedPods"] = .int(expected)
        status["currentHealthy"] = .int(healthy)
        status["desiredHealthy"] = .int(desired)
        status["disruptionsAllowed"] = .int(allowed)
        let state = allowed > 0 ? "True" : "False"
        let previous = (status["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "DisruptionAllowed" }
        let transition = previous?["status"]?.stringValue == state ? (previous?["lastTransitionTime"] ?? .string(now())) : .string(now())
        status["conditions"] = [["type": "DisruptionAllowed", "status": .string(state),
                                 "reason": allowed > 0 ? "SufficientPods" : "InsufficientPods", "message": "",
                                 "observedGeneration": generation, "lastTransitionTime": transition]]
        if status != pdb["status"] {
            var updated = pdb
            updated["status"] = status
            commit(.modified, storageKey: WorkloadResources.pdbs, object: updated, previous: pdb)
        }
    }
}

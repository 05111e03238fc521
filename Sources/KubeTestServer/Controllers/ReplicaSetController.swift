import KubeAPI

/// The fake replicaset controller: keeps `spec.replicas` pods per ReplicaSet (created from its
/// template, owned by it) and reports `status` (replicas, ready, available, observedGeneration).
/// Pods never run by themselves: tests drive them with `FakeKubelet.runPod`/`runPods(ofDeployment:)`;
/// a Ready pod counts as available (`minReadySeconds` is not simulated).
extension StoreState {
    /// The pods a controller (`uid`) owns that still count: not terminating, not finished.
    func activePods(ownedBy uid: String) -> [JSONValue] {
        (dependents[uid] ?? []).filter { $0.storageKey == "pods" }.compactMap { object($0) }.filter {
            let phase = $0[path: ["status", "phase"]]?.stringValue
            return $0[path: ["metadata", "deletionTimestamp"]] == nil && phase != "Succeeded" && phase != "Failed"
        }
    }

    static func isReady(_ pod: JSONValue) -> Bool {
        pod[path: ["status", "phase"]]?.stringValue == "Running" &&
            (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            }
    }

    /// The object that controls `object` (its `controller: true` ownerReference), if stored.
    func controller(of object: JSONValue, kind: String) -> JSONValue? {
        guard let owner = (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first(where: {
            $0["controller"]?.boolValue == true && $0["kind"]?.stringValue == kind
        }), let uid = owner["uid"]?.stringValue, let ref = uidIndex[uid] else { return nil }
        return self.object(ref)
    }

    mutating func syncReplicaSet(_ key: String) {
        guard let rs = objects[WorkloadResources.replicaSets]?[key],
              rs[path: ["metadata", "deletionTimestamp"]] == nil,
              let uid = rs[path: ["metadata", "uid"]]?.stringValue else { return }
        var pods = activePods(ownedBy: uid)
        let desired = Int(rs[path: ["spec", "replicas"]]?.intValue ?? 1)
        if pods.count < desired {
            for _ in pods.count..<desired { createPod(fromTemplateOf: rs, kind: "ReplicaSet", apiVersion: "apps/v1") }
        } else if pods.count > desired {
            let victims = pods.sorted { !Self.isReady($0) && Self.isReady($1) }.prefix(pods.count - desired)
            for pod in victims { deleteObject(Self.ref(of: pod, storageKey: "pods"), policy: "Background") }
        }
        pods = activePods(ownedBy: uid)
        let ready = Int64(pods.filter(Self.isReady).count)
        var status = rs["status"] ?? [:]
        status["replicas"] = .int(Int64(pods.count))
        status["fullyLabeledReplicas"] = pods.isEmpty ? nil : .int(Int64(pods.count))
        status["readyReplicas"] = ready > 0 ? .int(ready) : nil
        status["availableReplicas"] = ready > 0 ? .int(ready) : nil
        status["observedGeneration"] = rs[path: ["metadata", "generation"]] ?? 1
        if status != rs["status"] {
            var updated = rs
            updated["status"] = status
            commit(.modified, storageKey: WorkloadResources.replicaSets, object: updated, previous: rs)
        }
    }

    /// Creates one pod from a controller's `spec.template`, named `<controller>-<5 random chars>`.
    mutating func createPod(fromTemplateOf owner: JSONValue, kind: String, apiVersion: String) {
        guard let name = owner[path: ["metadata", "name"]]?.stringValue,
              let ns = owner[path: ["metadata", "namespace"]]?.stringValue,
              let uid = owner[path: ["metadata", "uid"]] else { return }
        var podName = "\(name)-\(ObjectNames.randomSuffix())"
        while objects["pods"]?["\(ns)/\(podName)"] != nil { podName = "\(name)-\(ObjectNames.randomSuffix())" }
        let template = owner[path: ["spec", "template"]] ?? [:]
        var meta: JSONValue = [
            "name": .string(podName), "generateName": .string("\(name)-"), "namespace": .string(ns),
            "uid": .string(ObjectNames.uid()), "creationTimestamp": .string(now()), "generation": 1,
            "ownerReferences": [["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": uid,
                                 "controller": true, "blockOwnerDeletion": true]],
        ]
        if let labels = template[path: ["metadata", "labels"]] { meta["labels"] = labels }
        if let annotations = template[path: ["metadata", "annotations"]] { meta["annotations"] = annotations }
        var spec = template["spec"] ?? [:]
        if spec["serviceAccountName"] == nil { spec["serviceAccountName"] = "default" }
        if spec["serviceAccount"] == nil { spec["serviceAccount"] = spec["serviceAccountName"] }
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec,
                              "status": ["phase": "Pending", "qosClass": "BestEffort"]]
        commit(.added, storageKey: "pods", object: pod, previous: nil)
    }
}

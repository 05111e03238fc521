import KubeAPI

/// The fake deployment controller: a Deployment owns one ReplicaSet per pod template
/// (`<name>-<pod-template-hash>`); the current one gets `spec.replicas`, older ones are scaled to 0
/// at once (no surge steps). `status` and the `Available`/`Progressing` conditions are computed
/// from the ReplicaSets as `pkg/controller/deployment` does, with its reasons and messages, so
/// `kubectl rollout status` and `helm install --wait` finish once the pods are Ready.
extension StoreState {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    /// Owned ReplicaSets of Deployment `uid` in `namespace`.
    func replicaSets(ownedBy uid: String) -> [JSONValue] {
        (dependents[uid] ?? []).filter { $0.storageKey == WorkloadResources.replicaSets }.compactMap { object($0) }
    }

    mutating func syncDeployment(_ key: String) {
        guard let dep = objects[WorkloadResources.deployments]?[key],
              dep[path: ["metadata", "deletionTimestamp"]] == nil,
              let name = dep[path: ["metadata", "name"]]?.stringValue,
              let ns = dep[path: ["metadata", "namespace"]]?.stringValue,
              let uid = dep[path: ["metadata", "uid"]]?.stringValue else { return }
        let replicas = dep[path: ["spec", "replicas"]]?.intValue ?? 1
        let hash = Self.podTemplateHash(dep[path: ["spec", "template"]] ?? [:])
        let newName = "\(name)-\(hash)"
        var owned = replicaSets(ownedBy: uid)
        let revisions = owned.compactMap { Int64($0[path: ["metadata", "annotations", Self.revisionAnnotation]]?.stringValue ?? "") }
        var created = false
        if !owned.contains(where: { $0[path: ["metadata", "name"]]?.stringValue == newName }),
           objects[WorkloadResources.replicaSets]?["\(ns)/\(newName)"] == nil {
            createReplicaSet(for: dep, name: newName, hash: hash, revision: (revisions.max() ?? 0) + 1)
            created = true
            owned = replicaSets(ownedBy: uid)
        }
        for rs in owned {
            let isNew = rs[path: ["metadata", "name"]]?.stringValue == newName
            let want = isNew ? replicas : 0
            if rs[path: ["spec", "replicas"]]?.intValue != want {
                var updated = rs
                updated.set(path: ["spec", "replicas"], to: .int(want))
                updated.set(path: ["metadata", "generation"], to: .int((rs[path: ["metadata", "generation"]]?.intValue ?? 1) + 1))
                updated.set(path: ["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"], to: .string(String(replicas)))
                commit(.modified, storageKey: WorkloadResources.replicaSets, object: updated, previous: rs)
            }
        }
        guard let current = objects[WorkloadResources.deployments]?[key] else { return }
        var updated = current
        let newRS = objects[WorkloadResources.replicaSets]?["\(ns)/\(newName)"]
        if let rev = newRS?[path: ["metadata", "annotations", Self.revisionAnnotation]] {
            updated.set(path: ["metadata", "annotations", Self.revisionAnnotation], to: rev)
        }
        updated["status"] = deploymentStatus(current, replicaSets: replicaSets(ownedBy: uid), newRS: newName,
                                             justCreated: created)
        if updated != current {
            commit(.modified, storageKey: WorkloadResources.deployments, object: updated, previous: current)
        }
    }

    private mutating func createReplicaSet(for dep: JSONValue, name: String, hash: String, revision: Int64) {
        let ns = dep[path: ["metadata", "namespace"]] ?? ""
        var template = dep[path: ["spec", "template"]] ?? [:]
        template.set(path: ["metadata", "labels", "pod-template-hash"], to: .string(hash))
        var selector = dep[path: ["spec", "selector"]] ?? [:]
        selector.set(path: ["matchLabels", "pod-template-hash"], to: .string(hash))
        let replicas = dep[path: ["spec", "replicas"]]?.intValue ?? 1
        let rs: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string(name), "namespace": ns, "uid": .string(ObjectNames.uid()),
                         "creationTimestamp": .string(now()), "generation": 1,
                         "labels": template[path: ["metadata", "labels"]] ?? [:],
                         "annotations": ["deployment.kubernetes.io/desired-replicas": .string(String(replicas)),
                                         "deployment.kubernetes.io/max-replicas": .string(String(replicas + Self.maxSurge(dep))),
                                         Self.revisionAnnotation: .string(String(revision))],
                         "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment",
                                              "name": dep[path: ["metadata", "name"]] ?? "",
                                              "uid": dep[path: ["metadata", "uid"]] ?? "",
                                              "controller": true, "blockOwnerDeletion": true]]],
            "spec": ["replicas": .int(replicas), "selector": selector, "template": template,
                     "minReadySeconds": dep[path: ["spec", "minReadySeconds"]] ?? 0],
            "status": ["replicas": 0],
        ]
        commit(.added, storageKey: WorkloadResources.replicaSets, object: rs, previous: nil)
    }

    private func deploymentStatus(_ dep: JSONValue, replicaSets: [JSONValue], newRS: String,
                                  justCreated: Bool) -> JSONValue {
        func sum(_ field: String) -> Int64 { replicaSets.reduce(0) { $0 + ($1[path: ["status", field]]?.intValue ?? 0) } }
        let new = replicaSets.first { $0[path: ["metadata", "name"]]?.stringValue == newRS }
        let desired = dep[path: ["spec", "replicas"]]?.intValue ?? 1
        let total = sum("replicas"), ready = sum("readyReplicas"), available = sum("availableReplicas")
        let updatedCount = new?[path: ["status", "replicas"]]?.intValue ?? 0
        var status: JSONValue = ["observedGeneration": dep[path: ["metadata", "generation"]] ?? 1]
        if total > 0 { status["replicas"] = .int(total) }
        if updatedCount > 0 { status["updatedReplicas"] = .int(updatedCount) }
        if ready > 0 { status["readyReplicas"] = .int(ready) }
        if available > 0 { status["availableReplicas"] = .int(available) }
        if total - available > 0 { status["unavailableReplicas"] = .int(total - available) }
        let old = dep[path: ["status", "conditions"]]?.arrayValue ?? []
        let minAvailable = desired - Self.maxUnavailable(dep)
        let availableCondition = available >= minAvailable
            ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", old)
            : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", old)
        let complete = updatedCount == desired && available == desired && total == desired
        let progressing: JSONValue
        if complete {
            progressing = condition("Progressing", "True", "NewReplicaSetAvailable",
                                    "ReplicaSet \"\(newRS)\" has successfully progressed.", old)
        } else if justCreated {
            progressing = condition("Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"\(newRS)\"", old)
        } else {
            progressing = condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"\(newRS)\" is progressing.", old)
        }
        status["conditions"] = [availableCondition, progressing]
        return status
    }

    /// A condition that keeps its times while nothing about it changes (`lastTransitionTime` while
    /// the status stays, `lastUpdateTime` while reason and message stay).
    private func condition(_ type: String, _ status: String, _ reason: String, _ message: String,
                           _ old: [JSONValue]) -> JSONValue {
        let now = self.now()
        let previous = old.first { $0["type"]?.stringValue == type }
        let same = previous?["status"]?.stringValue == status
        let sameText = same && previous?["reason"]?.stringValue == reason && previous?["message"]?.stringValue == message
        return ["type": .string(type), "status": .string(status),
                "lastUpdateTime": sameText ? (previous?["lastUpdateTime"] ?? .string(now)) : .string(now),
                "lastTransitionTime": same ? (previous?["lastTransitionTime"] ?? .string(now)) : .string(now),
                "reason": .string(reason), "message": .string(message)]
    }

    static func maxSurge(_ dep: JSONValue) -> Int64 {
        guard dep[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" else { return 0 }
        return scaled(dep[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] ?? "25%",
                      of: dep[path: ["spec", "replicas"]]?.intValue ?? 1, roundUp: true)
    }

    static func maxUnavailable(_ dep: JSONValue) -> Int64 {
        guard dep[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate" else { return 0 }
        return scaled(dep[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] ?? "25%",
                      of: dep[path: ["spec", "replicas"]]?.intValue ?? 1, roundUp: false)
    }

    /// `intstr.GetScaledValueFromIntOrPercent`.
    static func scaled(_ value: JSONValue, of total: Int64, roundUp: Bool) -> Int64 {
        if let i = value.intValue { return i }
        guard let s = value.stringValue, s.hasSuffix("%"), let pct = Int64(s.dropLast()) else { return 0 }
        let product = pct * total
        return roundUp ? (product + 99) / 100 : product / 100
    }

    /// `controller.ComputeHash`: FNV-32a of the template, rendered with `rand.SafeEncodeString`.
    static func podTemplateHash(_ template: JSONValue) -> String {
        var h: UInt32 = 2_166_136_261
        for b in template.serialized(sortedKeys: true) { h = (h ^ UInt32(b)) &* 16_777_619 }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(h).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}

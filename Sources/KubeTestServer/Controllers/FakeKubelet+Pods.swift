import KubeAPI

/// The fake kubelet for any pod (not only a Job's): run pods so their controllers report them
/// Ready, and give containers the log text `pods/log` serves.
extension FakeKubelet {
    /// Running and Ready, with a pod IP, like a kubelet after the containers started.
    public func runPod(_ name: String, namespace: String) throws(APIError) {
        try store.withState { s throws(APIError) in
            guard let pod = s.objects["pods"]?["\(namespace)/\(name)"] else {
                throw APIError(code: 404, reason: "NotFound", message: "pods \"\(name)\" not found")
            }
            s.markRunning(pod)
            s.settle()
        }
    }

    /// Runs every pod of Deployment `name` that is not Running yet; returns their names.
    @discardableResult
    public func runPods(ofDeployment name: String, namespace: String) throws(APIError) -> [String] {
        let pending: [String] = store.state.withLock { s in
            guard let dep = s.objects[WorkloadResources.deployments]?["\(namespace)/\(name)"],
                  let uid = dep[path: ["metadata", "uid"]]?.stringValue else { return [] }
            return s.replicaSets(ownedBy: uid).flatMap { rs in
                s.activePods(ownedBy: rs[path: ["metadata", "uid"]]?.stringValue ?? "")
            }.filter { !StoreState.isReady($0) }.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        }
        for pod in pending { try runPod(pod, namespace: namespace) }
        return pending
    }

    /// From now on (or until called with `false`), pods a ReplicaSet creates start Running and
    /// Ready at once, as on a cluster with a fast kubelet: `helm install --wait` and
    /// `kubectl rollout status` then finish without a test driving the pods.
    public func runPodsAutomatically(_ on: Bool = true) {
        store.state.withLock { $0.kubeletRunsPods = on }
    }

    /// Sets the log text of `container` (nil: the pod's only container) for `pods/log`.
    public func setLog(pod: String, namespace: String, container: String? = nil, text: String) {
        store.state.withLock { s in
            let name = container ?? s.objects["pods"]?["\(namespace)/\(pod)"]?[path: ["spec", "containers"]]?
                .arrayValue?.first?["name"]?.stringValue ?? ""
            s.podLogs["\(namespace)/\(pod)/\(name)"] = text
        }
    }
}

extension StoreState {
    /// The status a kubelet reports once every container runs and passes readiness.
    mutating func markRunning(_ pod: JSONValue) {
        var updated = pod
        let now = self.now()
        updated.set(path: ["status", "phase"], to: "Running")
        updated.set(path: ["status", "startTime"], to: .string(now))
        updated.set(path: ["status", "hostIP"], to: "10.0.0.1")
        updated.set(path: ["status", "podIP"], to: .string("10.244.0.\(Int.random(in: 2...254))"))
        updated.set(path: ["status", "conditions"], to: [
            ["type": "Initialized", "status": "True", "lastTransitionTime": .string(now)],
            ["type": "Ready", "status": "True", "lastTransitionTime": .string(now)],
            ["type": "ContainersReady", "status": "True", "lastTransitionTime": .string(now)],
            ["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(now)],
        ])
        updated.set(path: ["status", "containerStatuses"], to: .array((pod[path: ["spec", "containers"]]?.arrayValue ?? []).map {
            ["name": $0["name"] ?? "", "image": $0["image"] ?? "", "imageID": "", "ready": true, "restartCount": 0,
             "started": true, "state": ["running": ["startedAt": .string(now)]]]
        }))
        commit(.modified, storageKey: "pods", object: updated, previous: pod)
    }
}

import KubeAPI

/// Drives the pods the fake job controller creates, standing in for a kubelet: tests move a Job's
/// pod through phases and container states, and the Job's status follows (active/ready/succeeded/
/// failed, `Complete`/`Failed` conditions). Every change is a real write with a new
/// resourceVersion and watch events.
public struct FakeKubelet: Sendable {
    let store: Store

    /// A waiting reason a container can be stuck in.
    public enum WaitingReason: String, Sendable {
        case imagePullBackOff = "ImagePullBackOff"
        case errImagePull = "ErrImagePull"
        case crashLoopBackOff = "CrashLoopBackOff"
        case createContainerConfigError = "CreateContainerConfigError"
        case containerCreating = "ContainerCreating"
    }

    /// The pods owned by Job `job` in `namespace`, oldest first.
    public func pods(ofJob job: String, namespace: String) -> [JSONValue] {
        store.state.withLock { s in
            guard let j = s.objects[StoreState.jobsKey]?["\(namespace)/\(job)"],
                  let uid = j[path: ["metadata", "uid"]]?.stringValue else { return [] }
            return s.pods(ofJobUID: uid).sorted {
                ($0[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", $0[path: ["metadata", "name"]]?.stringValue ?? "")
                    < ($1[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", $1[path: ["metadata", "name"]]?.stringValue ?? "")
            }
        }
    }

    /// The Job's pod that is still running or pending (else its newest pod), if any.
    public func currentPod(ofJob job: String, namespace: String) -> String? {
        let pods = pods(ofJob: job, namespace: namespace)
        let live = pods.last {
            let phase = $0[path: ["status", "phase"]]?.stringValue
            return phase != "Succeeded" && phase != "Failed"
        }
        return (live ?? pods.last)?[path: ["metadata", "name"]]?.stringValue
    }

    /// Running with all containers ready.
    public func run(job: String, namespace: String) throws(APIError) {
        try mutateCurrentPod(job, namespace) { pod, now in
            pod.set(path: ["status", "phase"], to: "Running")
            pod.set(path: ["status", "startTime"], to: .string(now))
            pod.set(path: ["status", "conditions"], to: [["type": "Ready", "status": "True", "lastTransitionTime": .string(now)]])
            pod.set(path: ["status", "containerStatuses"], to: .array(containers(pod).map {
                ["name": $0.0, "image": $0.1, "ready": true, "restartCount": 0, "started": true,
                 "state": ["running": ["startedAt": .string(now)]]]
            }))
        }
    }

    /// Terminated: exit code 0 → Succeeded, otherwise Failed.
    public func finish(job: String, namespace: String, exitCode: Int = 0) throws(APIError) {
        try mutateCurrentPod(job, namespace) { pod, now in
            pod.set(path: ["status", "phase"], to: exitCode == 0 ? "Succeeded" : "Failed")
            pod.set(path: ["status", "conditions"], to: [["type": "Ready", "status": "False", "lastTransitionTime": .string(now),
                                                          "reason": "PodCompleted"]])
            pod.set(path: ["status", "containerStatuses"], to: .array(containers(pod).map {
                ["name": $0.0, "image": $0.1, "ready": false, "restartCount": 0, "started": false,
                 "state": ["terminated": ["exitCode": .int(Int64(exitCode)), "reason": exitCode == 0 ? "Completed" : "Error",
                                          "startedAt": .string(now), "finishedAt": .string(now)]]]
            }))
        }
    }

    public func succeed(job: String, namespace: String) throws(APIError) { try finish(job: job, namespace: namespace, exitCode: 0) }
    public func fail(job: String, namespace: String, exitCode: Int = 1) throws(APIError) {
        try finish(job: job, namespace: namespace, exitCode: exitCode)
    }

    /// Puts every container of the Job's current pod into a waiting state with `reason`.
    public func wait(job: String, namespace: String, reason: WaitingReason, message: String? = nil) throws(APIError) {
        try mutateCurrentPod(job, namespace) { pod, now in
            let crashing = reason == .crashLoopBackOff
            pod.set(path: ["status", "phase"], to: crashing ? "Running" : "Pending")
            pod.set(path: ["status", "conditions"], to: [["type": "Ready", "status": "False", "lastTransitionTime": .string(now),
                                                          "reason": "ContainersNotReady"]])
            let text = message ?? Self.defaultMessage(reason)
            pod.set(path: ["status", "containerStatuses"], to: .array(containers(pod).map { c -> JSONValue in
                var status: JSONValue = ["name": c.0, "image": c.1, "ready": false, "restartCount": crashing ? 3 : 0,
                                         "started": false,
                                         "state": ["waiting": ["reason": .string(reason.rawValue), "message": .string(text)]]]
                if crashing {
                    status["lastState"] = ["terminated": ["exitCode": 1, "reason": "Error", "finishedAt": .string(now)]]
                }
                return status
            }))
        }
    }

    /// The Job ran past `activeDeadlineSeconds`: Failed with reason DeadlineExceeded, active pods deleted.
    public func exceedDeadline(job: String, namespace: String) throws(APIError) {
        try store.withState { s throws(APIError) in
            guard let j = s.objects[StoreState.jobsKey]?["\(namespace)/\(job)"] else {
                throw .notFound(s.anyType(StoreState.jobsKey)!, name: job)
            }
            var updated = j
            s.finish(&updated, success: false, reason: "DeadlineExceeded", message: "Job was active longer than specified deadline")
            s.commit(.modified, storageKey: StoreState.jobsKey, object: updated, previous: j)
            if let uid = j[path: ["metadata", "uid"]]?.stringValue { s.deleteActivePods(of: uid) }
            s.settle()
        }
    }

    static func defaultMessage(_ reason: WaitingReason) -> String {
        switch reason {
        case .imagePullBackOff: "Back-off pulling image"
        case .errImagePull: "failed to pull and unpack image"
        case .crashLoopBackOff: "back-off 40s restarting failed container"
        case .createContainerConfigError: "secret \"codex-agent-credentials\" not found"
        case .containerCreating: ""
        }
    }

    private func containers(_ pod: JSONValue) -> [(JSONValue, JSONValue)] {
        (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map { ($0["name"] ?? "", $0["image"] ?? "") }
    }

    private func mutateCurrentPod(_ job: String, _ namespace: String,
                                  _ change: (inout JSONValue, String) -> Void) throws(APIError) {
        guard let name = currentPod(ofJob: job, namespace: namespace) else {
            throw APIError(code: 404, reason: "NotFound", message: "no pod of job \(namespace)/\(job)")
        }
        try store.withState { s throws(APIError) in
            guard let pod = s.objects["pods"]?["\(namespace)/\(name)"] else {
                throw APIError(code: 404, reason: "NotFound", message: "pods \"\(name)\" not found")
            }
            var updated = pod
            change(&updated, s.now())
            s.commit(.modified, storageKey: "pods", object: updated, previous: pod)
            s.settle()
        }
    }
}

import KubeAPI

/// The fake job controller: each Job gets a Pod (owned by it, as the real job controller creates it),
/// and the Job's status follows its pods' phases. Pods never run by themselves: tests drive them
/// with `FakeKubelet`.
extension StoreState {
    static let jobsKey = "jobs.batch"

    mutating func jobCreated(_ job: JSONValue) {
        guard options.jobController else { return }
        if job[path: ["spec", "suspend"]]?.boolValue == true { return jobCreatedSuspended(job) }
        createPod(for: job)
        syncJobStatus(job)
    }

    mutating func createPod(for job: JSONValue) {
        let meta = job["metadata"] ?? [:]
        guard let name = meta["name"]?.stringValue, let ns = meta["namespace"]?.stringValue,
              let uid = meta["uid"] else { return }
        var podName = "\(name)-\(ObjectNames.randomSuffix())"
        while objects["pods"]?["\(ns)/\(podName)"] != nil { podName = "\(name)-\(ObjectNames.randomSuffix())" }
        let template = job[path: ["spec", "template"]] ?? [:]
        var labels = template[path: ["metadata", "labels"]] ?? [:]
        labels["batch.kubernetes.io/job-name"] = .string(name)
        labels["job-name"] = .string(name)
        var podMeta: JSONValue = [
            "name": .string(podName), "generateName": .string("\(name)-"), "namespace": .string(ns),
            "uid": .string(ObjectNames.uid()), "creationTimestamp": .string(now()), "generation": 1,
            "labels": labels,
            "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": .string(name), "uid": uid,
                                 "controller": true, "blockOwnerDeletion": true]],
        ]
        if let annotations = template[path: ["metadata", "annotations"]] { podMeta["annotations"] = annotations }
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": podMeta,
                              "spec": template["spec"] ?? [:], "status": ["phase": "Pending", "qosClass": "BestEffort"]]
        pod.set(path: ["spec", "terminationGracePeriodSeconds"], to: pod[path: ["spec", "terminationGracePeriodSeconds"]] ?? 30)
        guard admitControllerPod(&pod, job: job) else { return }
        commit(.added, storageKey: "pods", object: pod, previous: nil)
        recordJobEvent(job, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(podName)")
    }

    /// A pod changed: recompute its controlling Job's status (and retry or finish the Job).
    mutating func podChanged(_ pod: JSONValue) {
        guard options.jobController,
              let owner = (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first(where: {
                  $0["kind"]?.stringValue == "Job" && $0["controller"]?.boolValue == true
              }),
              let uid = owner["uid"]?.stringValue, let ref = uidIndex[uid], let job = object(ref) else { return }
        syncJobStatus(job)
    }

    func pods(ofJobUID uid: String) -> [JSONValue] {
        (dependents[uid] ?? []).filter { $0.storageKey == "pods" }.compactMap { object($0) }
    }

    /// Sets active/ready/succeeded/failed and the terminal conditions from the Job's pods.
    mutating func syncJobStatus(_ job: JSONValue) {
        guard let uid = job[path: ["metadata", "uid"]]?.stringValue else { return }
        if isFinished(job) { return }
        let pods = self.pods(ofJobUID: uid)
        var counts = (active: 0, ready: 0, succeeded: 0, failed: 0)
        for p in pods {
            switch p[path: ["status", "phase"]]?.stringValue {
            case "Succeeded": counts.succeeded += 1
            case "Failed": counts.failed += 1
            default:
                if p[path: ["metadata", "deletionTimestamp"]] == nil { counts.active += 1 }
                if p[path: ["status", "phase"]]?.stringValue == "Running",
                   (p[path: ["status", "conditions"]]?.arrayValue ?? []).contains(where: {
                       $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }) { counts.ready += 1 }
            }
        }
        let completions = job[path: ["spec", "completions"]]?.intValue ?? 1
        let backoffLimit = job[path: ["spec", "backoffLimit"]]?.intValue ?? 6
        var status = job["status"] ?? [:]
        if status["startTime"] == nil { status["startTime"] = .string(now()) }
        status["active"] = counts.active > 0 ? .int(Int64(counts.active)) : nil
        status["ready"] = .int(Int64(counts.ready))
        status["terminating"] = 0
        status["succeeded"] = counts.succeeded > 0 ? .int(Int64(counts.succeeded)) : nil
        status["failed"] = counts.failed > 0 ? .int(Int64(counts.failed)) : nil
        status["uncountedTerminatedPods"] = [:]
        var updated = job
        updated["status"] = status
        if Int64(counts.succeeded) >= completions {
            finish(&updated, success: true, reason: "CompletionsReached", message: "Reached expected number of succeeded pods")
        } else if Int64(counts.failed) > backoffLimit {
            finish(&updated, success: false, reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")
        }
        if updated != job {
            commit(.modified, storageKey: Self.jobsKey, object: updated, previous: job)
        }
        if !isFinished(updated), counts.active == 0, counts.failed > 0, Int64(counts.failed) <= backoffLimit {
            createPod(for: updated)
        }
        if !isFinished(job), isFinished(updated) { deleteActivePods(of: uid) }
    }

    func isFinished(_ job: JSONValue) -> Bool {
        (job[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            ($0["type"]?.stringValue == "Complete" || $0["type"]?.stringValue == "Failed") && $0["status"]?.stringValue == "True"
        }
    }

    /// Adds the terminal conditions (`SuccessCriteriaMet`+`Complete`, or `FailureTarget`+`Failed`).
    func finish(_ job: inout JSONValue, success: Bool, reason: String, message: String) {
        let now = self.now()
        func condition(_ type: String) -> JSONValue {
            ["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
             "lastProbeTime": .string(now), "lastTransitionTime": .string(now)]
        }
        var conditions = job[path: ["status", "conditions"]]?.arrayValue ?? []
        conditions += success ? [condition("SuccessCriteriaMet"), condition("Complete")]
                              : [condition("FailureTarget"), condition("Failed")]
        job.set(path: ["status", "conditions"], to: .array(conditions))
        if success { job.set(path: ["status", "completionTime"], to: .string(now)) }
        job.set(path: ["status", "active"], to: nil)
    }

    mutating func deleteActivePods(of jobUID: String) {
        for pod in pods(ofJobUID: jobUID) {
            let phase = pod[path: ["status", "phase"]]?.stringValue
            if phase != "Succeeded" && phase != "Failed" {
                deleteObject(Self.ref(of: pod, storageKey: "pods"), policy: "Background")
            }
        }
    }
}

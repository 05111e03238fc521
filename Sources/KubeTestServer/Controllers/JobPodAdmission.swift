import KubeAPI

/// The fake job controller's pods go through the same defaulting and admission as a client's
/// (ServiceAccount, LimitRanger, DefaultTolerationSeconds, ResourceQuota); a created pod gets a
/// Normal Event `SuccessfulCreate` (`Created pod: j-abcde`) on the Job. A rejected pod is not
/// created: like the real job controller, the Job gets a Warning Event `FailedCreate`
/// (`Error creating: pods "j-abcde" is forbidden: exceeded quota: …`, count bumped on
/// repeats) and the creation is retried when something that could change the answer happens in
/// the namespace (a pod, quota, limit range or service account changes).
extension StoreState {
    /// Defaults and admits a pod the job controller wants to create; on rejection records the
    /// FailedCreate event and returns false.
    mutating func admitControllerPod(_ pod: inout JSONValue, job: JSONValue) -> Bool {
        guard let podType = registry.lookup(group: "", version: "v1", plural: "pods") else { return true }
        let ns = pod[path: ["metadata", "namespace"]]?.stringValue
        if let ns, objects["namespaces"]?[ns]?[path: ["metadata", "deletionTimestamp"]] != nil { return false }
        PodDefaults.apply(&pod, spec: ["spec"], isPod: true)
        var request = AdmissionRequest(operation: .create, type: podType, namespace: ns,
                                       name: pod[path: ["metadata", "generateName"]]?.stringValue ?? "",
                                       subresource: nil, old: nil, dryRun: false)
        do throws(APIError) {
            try mutatingAdmission(request, &pod)
            pod.set(path: ["status", "qosClass"], to: .string(PodDefaults.qosClass(pod["spec"] ?? [:])))
            request.name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            try validatingAdmission(request, pod)
            return true
        } catch {
            recordJobEvent(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(error.message)")
            return false
        }
    }

    /// A core/v1 Event on the Job from `job-controller` (`SuccessfulCreate` / `FailedCreate`); a
    /// repeat of the same reason and message bumps `count`.
    mutating func recordJobEvent(_ job: JSONValue, type: String, reason: String, message: String) {
        let meta = job["metadata"] ?? [:]
        guard let ns = meta["namespace"]?.stringValue, let name = meta["name"]?.stringValue else { return }
        let uid = meta["uid"]?.stringValue ?? ""
        let now = self.now()
        if let existing = namespacedObjects("events", in: ns).first(where: {
            $0[path: ["involvedObject", "uid"]]?.stringValue == uid && $0["reason"]?.stringValue == reason
                && $0["message"]?.stringValue == message
        }) {
            var bumped = existing
            bumped["count"] = .int((existing["count"]?.intValue ?? 1) + 1)
            bumped["lastTimestamp"] = .string(now)
            commit(.modified, storageKey: "events", object: bumped, previous: existing)
            return
        }
        var eventName = "\(name).\(String(UInt64(max(0, clock()) * 1e9), radix: 16))"
        while objects["events"]?["\(ns)/\(eventName)"] != nil { eventName = "\(name).\(ObjectNames.randomSuffix())" }
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(eventName), "namespace": .string(ns),
                         "uid": .string(ObjectNames.uid()), "creationTimestamp": .string(now)],
            "involvedObject": ["kind": "Job", "namespace": .string(ns), "name": .string(name), "uid": .string(uid),
                               "apiVersion": "batch/v1", "resourceVersion": meta["resourceVersion"] ?? ""],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": "job-controller"], "firstTimestamp": .string(now), "lastTimestamp": .string(now),
            "count": 1, "eventTime": .null, "reportingComponent": "job-controller", "reportingInstance": "",
        ]
        commit(.added, storageKey: "events", object: event, previous: nil)
    }

    /// Whether `event` could let a previously rejected job pod in.
    func mayUnblockJobPods(_ event: StoredEvent) -> Bool {
        guard options.jobController, event.namespace != nil else { return false }
        switch event.storageKey {
        case "pods": return event.type != .added
        case "resourcequotas", "limitranges", "serviceaccounts":
            return event.type != .modified || event.previous?["spec"] != event.object["spec"]
                || event.storageKey == "serviceaccounts"
        default: return false
        }
    }

    /// Creates the pod of every running Job in `ns` that has none (its creation was rejected before).
    mutating func retryJobPods(in ns: String) {
        for job in namespacedObjects(Self.jobsKey, in: ns) {
            guard job[path: ["spec", "suspend"]]?.boolValue != true, job[path: ["metadata", "deletionTimestamp"]] == nil,
                  !isFinished(job), let uid = job[path: ["metadata", "uid"]]?.stringValue else { continue }
            if pods(ofJobUID: uid).isEmpty { createPod(for: job) }
        }
    }
}

import KubeAPI

/// The job controller's answer to a Job created with `spec.suspend: true`: it records the
/// `Suspended` condition (status `True`, reason `JobSuspended`, message `Job suspended`, as
/// pkg/controller/job does) in a status write after the create — so the create response has no
/// status yet, as on a real cluster. No pods are created while suspended.
extension StoreState {
    mutating func jobCreatedSuspended(_ job: JSONValue) {
        guard options.jobController else { return }
        let now = self.now()
        var updated = job
        var conditions = job[path: ["status", "conditions"]]?.arrayValue ?? []
        guard !conditions.contains(where: { $0["type"]?.stringValue == "Suspended" }) else { return }
        conditions.append(["type": "Suspended", "status": "True", "reason": "JobSuspended", "message": "Job suspended",
                           "lastProbeTime": .string(now), "lastTransitionTime": .string(now)])
        updated.set(path: ["status", "conditions"], to: .array(conditions))
        commit(.modified, storageKey: Self.jobsKey, object: updated, previous: job)
    }
}

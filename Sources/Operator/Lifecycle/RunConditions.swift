import KubeAPI

/// The AgentRun condition types (`status.conditions`).
public enum RunCondition {
    /// The run holds a slot (False while Pending, with the Pending reason).
    public static let admitted = "Admitted"
    /// The run namespace and the Job exist (True once the pod ran).
    public static let provisioned = "Provisioned"
    /// The agent is running (False while waiting and once the run ended).
    public static let ready = "Ready"

    /// Sets condition `type` in `conditions`. `lastTransitionTime` changes only when `status`
    /// changes, so re-applying the same condition leaves the list equal (no write).
    public static func set(_ conditions: inout [Condition], type: String, status: Bool, reason: String,
                           message: String? = nil, generation: Int64?, now: KubeTime) {
        let value = status ? "True" : "False"
        if let i = conditions.firstIndex(where: { $0.type == type }) {
            let old = conditions[i]
            conditions[i] = Condition(type: type, status: value, reason: reason, message: message,
                                      lastTransitionTime: old.status == value ? old.lastTransitionTime : now,
                                      observedGeneration: generation)
        } else {
            conditions.append(Condition(type: type, status: value, reason: reason, message: message,
                                        lastTransitionTime: now, observedGeneration: generation))
        }
    }
}

import KubeAPI

/// DefaultTolerationSeconds admission: a Pod that does not tolerate the `not-ready` /
/// `unreachable` NoExecute taints gets a 300 s toleration for each, plus Priority admission's
/// `priority: 0` and `preemptionPolicy: PreemptLowerPriority` (no PriorityClasses are served).
enum DefaultTolerationSeconds {
    static func admit(_ pod: inout JSONValue) {
        var tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let tolerated = tolerations.contains { t in
                let k = t["key"]?.stringValue ?? "", effect = t["effect"]?.stringValue ?? ""
                return (k == key || k.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
            if !tolerated {
                tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
            }
        }
        pod.set(path: ["spec", "tolerations"], to: .array(tolerations))
        if pod[path: ["spec", "priority"]] == nil { pod.set(path: ["spec", "priority"], to: 0) }
        if pod[path: ["spec", "preemptionPolicy"]] == nil { pod.set(path: ["spec", "preemptionPolicy"], to: "PreemptLowerPriority") }
    }
}

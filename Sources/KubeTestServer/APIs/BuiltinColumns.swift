import KubeAPI

/// `kubectl get` columns of the operator's built-in kinds as the apiserver's printers
/// (`pkg/printers/internalversion/printers.go`) declare them: names, types (`Age` is a `string`
/// cell holding a human duration) and the `-o wide` columns (priority 1).
enum BuiltinColumns {
    static func columns(for type: ResourceType, name: PrinterColumn, age: PrinterColumn) -> [PrinterColumn]? {
        func col(_ n: String, _ path: String, type t: String = "string", wide: Bool = false) -> PrinterColumn {
            PrinterColumn(name: n, type: t, priority: wide ? 1 : 0, jsonPath: path)
        }
        switch type.storageKey {
        case "pods":
            return [name, col("Ready", "@ready"), col("Status", "@podStatus"), col("Restarts", "@restarts"), age,
                    col("IP", "@podIP", wide: true), col("Node", "@nodeName", wide: true),
                    col("Nominated Node", "@nominatedNode", wide: true), col("Readiness Gates", "@readinessGates", wide: true)]
        case "jobs.batch":
            return [name, col("Status", "@jobStatus"), col("Completions", "@completions"), col("Duration", "@jobDuration"), age,
                    col("Containers", "@containers", wide: true), col("Images", "@images", wide: true),
                    col("Selector", "@selector", wide: true)]
        case "events":
            return [col("Last Seen", "@lastSeen"), col("Type", ".type"), col("Reason", ".reason"), col("Object", "@involvedObject"),
                    col("Subobject", ".involvedObject.fieldPath", wide: true), col("Source", "@eventSource", wide: true),
                    col("Message", ".message"), col("First Seen", "@firstSeen", wide: true),
                    col("Count", "@eventCount", type: "integer", wide: true), col("Name", ".metadata.name", wide: true)]
        case "networkpolicies.networking.k8s.io":
            return [name, col("Pod-Selector", "@podSelector"), age]
        case "resourcequotas":
            return [name, age, col("Request", "@quotaRequest"), col("Limit", "@quotaLimit")]
        case "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io":
            return [name, col("Role", "@roleRef"), age, col("Users", "@users", wide: true), col("Groups", "@groups", wide: true),
                    col("ServiceAccounts", "@serviceAccounts", wide: true)]
        case "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io":
            return [name, col("Created At", "@createdAt", type: "date")]
        default:
            return nil
        }
    }

    /// Cells that need the current time (ages and durations) or several fields.
    static func cell(_ path: String, _ obj: JSONValue, now: Double) -> JSONValue? {
        func age(_ p: [String]) -> JSONValue {
            guard let s = obj[path: p]?.stringValue, let t = KubeTime(rfc3339: s) else { return "<unknown>" }
            return .string(TableRenderer.humanDuration(now - t.secondsSince1970))
        }
        switch path {
        case "@age": return age(["metadata", "creationTimestamp"])
        case "@podIP": return obj[path: ["status", "podIP"]] ?? "<none>"
        case "@nodeName": return obj[path: ["spec", "nodeName"]] ?? "<none>"
        case "@nominatedNode": return obj[path: ["status", "nominatedNodeName"]] ?? "<none>"
        case "@readinessGates":
            let gates = obj[path: ["spec", "readinessGates"]]?.arrayValue ?? []
            if gates.isEmpty { return "<none>" }
            let conditions = obj[path: ["status", "conditions"]]?.arrayValue ?? []
            let ready = gates.filter { g in conditions.contains { $0["type"] == g["conditionType"] && $0["status"] == "True" } }
            return .string("\(ready.count)/\(gates.count)")
        case "@jobDuration":
            guard let s = obj[path: ["status", "startTime"]]?.stringValue, let start = KubeTime(rfc3339: s) else { return "" }
            let end = obj[path: ["status", "completionTime"]]?.stringValue.flatMap(KubeTime.init(rfc3339:))?.secondsSince1970 ?? now
            return .string(TableRenderer.humanDuration(end - start.secondsSince1970))
        case "@containers", "@images":
            let cs = obj[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            let values = cs.compactMap { $0[path == "@containers" ? "name" : "image"]?.stringValue }
            return .string(values.isEmpty ? "<none>" : values.joined(separator: ","))
        case "@selector": return .string(WorkloadColumns.selectorText(obj[path: ["spec", "selector"]]))
        case "@lastSeen":
            for p in [["lastTimestamp"], ["eventTime"], ["metadata", "creationTimestamp"]] where obj[path: p]?.stringValue != nil {
                return age(p)
            }
            return "<unknown>"
        case "@firstSeen":
            return obj[path: ["firstTimestamp"]]?.stringValue != nil ? age(["firstTimestamp"]) : "<unknown>"
        case "@eventCount": return .int(obj["count"]?.intValue ?? 1)
        case "@eventSource":
            let component = obj[path: ["source", "component"]]?.stringValue ?? obj["reportingComponent"]?.stringValue ?? ""
            let host = obj[path: ["source", "host"]]?.stringValue ?? ""
            return .string(host.isEmpty ? component : "\(component), \(host)")
        case "@podSelector": return .string(WorkloadColumns.selectorText(obj[path: ["spec", "podSelector"]]).replacingOccurrences(of: "<none>", with: "<none>"))
        case "@quotaRequest", "@quotaLimit":
            let hard = obj[path: ["status", "hard"]]?.objectValue ?? obj[path: ["spec", "hard"]]?.objectValue ?? [:]
            let used = obj[path: ["status", "used"]]?.objectValue ?? [:]
            let limits = path == "@quotaLimit"
            let keys = hard.keys.filter { $0.hasPrefix("limits.") == limits }.sorted()
            return .string(keys.map { "\($0): \(used[$0]?.stringValue ?? "0")/\(hard[$0]?.stringValue ?? "")" }.joined(separator: ", "))
        case "@roleRef":
            return .string("\(obj[path: ["roleRef", "kind"]]?.stringValue ?? "")/\(obj[path: ["roleRef", "name"]]?.stringValue ?? "")")
        case "@users", "@groups", "@serviceAccounts":
            let subjects = obj["subjects"]?.arrayValue ?? []
            let kind = path == "@users" ? "User" : path == "@groups" ? "Group" : "ServiceAccount"
            let names = subjects.filter { $0["kind"]?.stringValue == kind }.map { s -> String in
                let n = s["name"]?.stringValue ?? ""
                return kind == "ServiceAccount" ? "\(s["namespace"]?.stringValue ?? ""):\(n)" : n
            }
            return .string(names.joined(separator: ", "))
        default:
            return nil
        }
    }
}

import KubeAPI

/// `kubectl get` columns of the workload kinds, as the apiserver's printers
/// (`pkg/printers/internalversion`) define them: names, types and `-o wide` priorities.
enum WorkloadColumns {
    static func columns(for type: ResourceType, name: PrinterColumn, age: PrinterColumn) -> [PrinterColumn]? {
        func col(_ n: String, _ path: String, type t: String = "string", wide: Bool = false) -> PrinterColumn {
            PrinterColumn(name: n, type: t, priority: wide ? 1 : 0, jsonPath: path)
        }
        let podTemplate = [col("Containers", "@containers", wide: true), col("Images", "@images", wide: true),
                           col("Selector", "@selector", wide: true)]
        switch type.storageKey {
        case WorkloadResources.deployments:
            return [name, col("Ready", "@deploymentReady"), col("Up-to-date", "@updatedReplicas", type: "integer"),
                    col("Available", "@availableReplicas", type: "integer"), age] + podTemplate
        case WorkloadResources.replicaSets:
            return [name, col("Desired", "@desired", type: "integer"), col("Current", "@current", type: "integer"),
                    col("Ready", "@readyReplicas", type: "integer"), age] + podTemplate
        case WorkloadResources.services:
            return [name, col("Type", ".spec.type"), col("Cluster-IP", ".spec.clusterIP"), col("External-IP", "@externalIP"),
                    col("Port(s)", "@ports"), age, col("Selector", "@serviceSelector", wide: true)]
        case WorkloadResources.pdbs:
            return [name, col("Min Available", "@minAvailable"), col("Max Unavailable", "@maxUnavailable"),
                    col("Allowed Disruptions", "@disruptionsAllowed", type: "integer"), age]
        case WorkloadResources.pvcs:
            return [name, col("Status", ".status.phase"), col("Volume", ".spec.volumeName"), col("Capacity", "@capacity"),
                    col("Access Modes", "@accessModes"), col("StorageClass", ".spec.storageClassName"),
                    col("VolumeAttributesClass", "@vac"), age, col("VolumeMode", ".spec.volumeMode", wide: true)]
        case WorkloadResources.cronJobs:
            return [name, col("Schedule", ".spec.schedule"), col("Timezone", "@timeZone"), col("Suspend", "@suspend"),
                    col("Active", "@active", type: "integer"), col("Last Schedule", "@lastSchedule"), age]
                + [col("Containers", "@jobContainers", wide: true), col("Images", "@jobImages", wide: true),
                   col("Selector", "@jobSelector", wide: true)]
        case WorkloadResources.ingresses:
            return [name, col("Class", "@ingressClass"), col("Hosts", "@hosts"), col("Address", "@ingressAddress"),
                    col("Ports", "@ingressPorts"), age]
        case "nodes":
            return [name, col("Status", "@nodeStatus"), col("Roles", "@roles"), age, col("Version", ".status.nodeInfo.kubeletVersion")]
        default:
            return nil
        }
    }

    static func computed(_ name: String, _ obj: JSONValue) -> JSONValue? {
        func int(_ path: [String]) -> JSONValue { .int(obj[path: path]?.intValue ?? 0) }
        func join(_ values: [String]) -> JSONValue { .string(values.isEmpty ? "<none>" : values.joined(separator: ",")) }
        let containers = obj[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        let jobContainers = obj[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]]?.arrayValue ?? []
        switch name {
        case "@deploymentReady":
            return .string("\(obj[path: ["status", "readyReplicas"]]?.intValue ?? 0)/\(obj[path: ["spec", "replicas"]]?.intValue ?? 1)")
        case "@updatedReplicas": return int(["status", "updatedReplicas"])
        case "@availableReplicas": return int(["status", "availableReplicas"])
        case "@desired": return int(["spec", "replicas"])
        case "@current": return int(["status", "replicas"])
        case "@readyReplicas": return int(["status", "readyReplicas"])
        case "@containers": return join(containers.compactMap { $0["name"]?.stringValue })
        case "@images": return join(containers.compactMap { $0["image"]?.stringValue })
        case "@jobContainers": return join(jobContainers.compactMap { $0["name"]?.stringValue })
        case "@jobImages": return join(jobContainers.compactMap { $0["image"]?.stringValue })
        case "@selector": return .string(selectorText(obj[path: ["spec", "selector"]]))
        case "@jobSelector": return .string(selectorText(obj[path: ["spec", "jobTemplate", "spec", "selector"]]))
        case "@serviceSelector":
            let s = obj[path: ["spec", "selector"]]?.objectValue ?? [:]
            return join(s.keys.sorted().map { "\($0)=\(s[$0]?.stringValue ?? "")" })
        case "@externalIP":
            let ingress = (obj[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            if obj[path: ["spec", "type"]] == "LoadBalancer" { return .string(ingress.isEmpty ? "<pending>" : ingress.joined(separator: ",")) }
            if obj[path: ["spec", "type"]] == "ExternalName" { return obj[path: ["spec", "externalName"]] ?? "<none>" }
            return join((obj[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue))
        case "@ports":
            let ports = (obj[path: ["spec", "ports"]]?.arrayValue ?? []).map { p -> String in
                let port = p["port"]?.intValue ?? 0, proto = p["protocol"]?.stringValue ?? "TCP"
                if let node = p["nodePort"]?.intValue { return "\(port):\(node)/\(proto)" }
                return "\(port)/\(proto)"
            }
            return join(ports)
        case "@minAvailable":
            return obj[path: ["spec", "minAvailable"]].map { .string(JSONPathSubset.text($0) ?? "") } ?? "N/A"
        case "@maxUnavailable":
            return obj[path: ["spec", "maxUnavailable"]].map { .string(JSONPathSubset.text($0) ?? "") } ?? "N/A"
        case "@disruptionsAllowed": return int(["status", "disruptionsAllowed"])
        case "@capacity": return .string(obj[path: ["status", "capacity", "storage"]]?.stringValue ?? "")
        case "@accessModes":
            let modes = (obj[path: ["status", "accessModes"]]?.arrayValue ?? []).compactMap(\.stringValue)
            let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
            return .string(modes.map { short[$0] ?? $0 }.joined(separator: ","))
        case "@vac": return .string(obj[path: ["spec", "volumeAttributesClassName"]]?.stringValue ?? "<unset>")
        case "@timeZone": return .string(obj[path: ["spec", "timeZone"]]?.stringValue ?? "<none>")
        case "@suspend": return .string(obj[path: ["spec", "suspend"]]?.boolValue == true ? "True" : "False")
        case "@active": return .int(Int64(obj[path: ["status", "active"]]?.arrayValue?.count ?? 0))
        case "@lastSchedule": return .string(obj[path: ["status", "lastScheduleTime"]]?.stringValue ?? "<none>")
        case "@ingressClass": return .string(obj[path: ["spec", "ingressClassName"]]?.stringValue ?? "<none>")
        case "@hosts":
            let hosts = (obj[path: ["spec", "rules"]]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
            return .string(hosts.isEmpty ? "*" : hosts.joined(separator: ","))
        case "@ingressAddress":
            return .string((obj[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? [])
                .compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }.joined(separator: ","))
        case "@ingressPorts": return obj[path: ["spec", "tls"]] == nil ? "80" : "80, 443"
        case "@nodeStatus":
            let ready = (obj[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }
            return ready?["status"] == "True" ? "Ready" : ready == nil ? "Unknown" : "NotReady"
        case "@roles":
            let labels = obj[path: ["metadata", "labels"]]?.objectValue ?? [:]
            let roles = labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) }
            return .string(roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ","))
        default:
            return nil
        }
    }

    /// `metav1.LabelSelectorAsSelector(...).String()`.
    static func selectorText(_ selector: JSONValue?) -> String {
        guard let s = selector else { return "<none>" }
        var parts = (s["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }
        for e in s["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? "", values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            switch e["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values.joined(separator: ",")))")
            case "NotIn": parts.append("\(key) notin (\(values.joined(separator: ",")))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }
}

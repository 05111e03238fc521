import KubeAPI

/// Create defaults, update rules and the main validation of the kinds in `WorkloadResources`,
/// as the apiserver's registry strategies and `SetDefaults_*` functions apply them.
extension StoreState {
    /// Defaults a new object of a workload kind (no-op for other kinds).
    mutating func prepareWorkloadForCreate(_ type: ResourceType, _ obj: inout JSONValue) {
        switch type.storageKey {
        case WorkloadResources.deployments:
            Self.fill(&obj, ["spec", "replicas"], 1)
            Self.fill(&obj, ["spec", "strategy", "type"], "RollingUpdate")
            if obj[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                Self.fill(&obj, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                Self.fill(&obj, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            Self.fill(&obj, ["spec", "revisionHistoryLimit"], 10)
            Self.fill(&obj, ["spec", "progressDeadlineSeconds"], 600)
            Self.defaultPodTemplate(&obj, ["spec", "template"])
            obj["status"] = [:]
        case WorkloadResources.replicaSets:
            Self.fill(&obj, ["spec", "replicas"], 1)
            Self.defaultPodTemplate(&obj, ["spec", "template"])
            obj["status"] = ["replicas": 0]
        case WorkloadResources.cronJobs:
            Self.fill(&obj, ["spec", "concurrencyPolicy"], "Allow")
            Self.fill(&obj, ["spec", "suspend"], false)
            Self.fill(&obj, ["spec", "successfulJobsHistoryLimit"], 3)
            Self.fill(&obj, ["spec", "failedJobsHistoryLimit"], 1)
            Self.fill(&obj, ["spec", "jobTemplate", "spec", "backoffLimit"], 6)
            Self.fill(&obj, ["spec", "jobTemplate", "spec", "completionMode"], "NonIndexed")
            Self.fill(&obj, ["spec", "jobTemplate", "spec", "suspend"], false)
            Self.fill(&obj, ["spec", "jobTemplate", "spec", "podReplacementPolicy"], "TerminatingOrFailed")
            Self.defaultPodTemplate(&obj, ["spec", "jobTemplate", "spec", "template"])
            obj["status"] = [:]
        case WorkloadResources.services:
            defaultService(&obj, old: nil)
            obj["status"] = ["loadBalancer": [:]]
        case WorkloadResources.ingresses:
            obj["status"] = ["loadBalancer": [:]]
        case WorkloadResources.pdbs:
            obj["status"] = ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0]
        case WorkloadResources.pvcs:
            Self.fill(&obj, ["spec", "volumeMode"], "Filesystem")
            obj["status"] = ["phase": "Pending"]
        default:
            break
        }
    }

    /// Update rules (kept allocations) and validation of the workload kinds.
    mutating func validateWorkload(_ type: ResourceType, _ obj: inout JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        switch type.storageKey {
        case WorkloadResources.deployments, WorkloadResources.replicaSets:
            errors += Self.selectorErrors(obj, template: ["spec", "template"])
            if (obj[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []).isEmpty {
                errors.append(.required("spec.template.spec.containers"))
            }
            if let old, let selector = obj[path: ["spec", "selector"]], selector != old[path: ["spec", "selector"]] {
                errors.append(.invalid("spec.selector", selector, "field is immutable"))
            }
            if let r = obj[path: ["spec", "replicas"]]?.intValue, r < 0 {
                errors.append(.invalid("spec.replicas", .int(r), "must be greater than or equal to 0"))
            }
        case WorkloadResources.services:
            if let old { defaultService(&obj, old: old) }
            let headless = obj[path: ["spec", "clusterIP"]]?.stringValue == "None"
            if obj[path: ["spec", "type"]]?.stringValue != "ExternalName", !headless,
               (obj[path: ["spec", "ports"]]?.arrayValue ?? []).isEmpty {
                errors.append(.required("spec.ports"))
            }
            for (i, port) in (obj[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
                let p = port["port"]?.intValue ?? 0
                if p < 1 || p > 65535 {
                    errors.append(.invalid("spec.ports[\(i)].port", .int(p), "must be between 1 and 65535, inclusive"))
                }
            }
        case WorkloadResources.pdbs:
            if obj[path: ["spec", "minAvailable"]] != nil && obj[path: ["spec", "maxUnavailable"]] != nil {
                errors.append(.invalid("spec", obj["spec"] ?? .null, "minAvailable and maxUnavailable cannot be both set"))
            }
        default:
            break
        }
        return errors
    }

    /// `apps/v1` requires a selector that matches the template's labels.
    static func selectorErrors(_ obj: JSONValue, template: [String]) -> [FieldError] {
        guard let selector = obj[path: ["spec", "selector"]], selector.objectValue?.isEmpty == false else {
            return [.required("spec.selector")]
        }
        let labels = obj[path: template + ["metadata", "labels"]]?.objectValue ?? [:]
        guard LabelSelector(json: selector).matches(labels) else {
            let shown = "map[string]string{" + labels.keys.sorted().map { "\"\($0)\":\(labels[$0]!.jsonString())" }
                .joined(separator: ", ") + "}"
            return [FieldError(reason: "FieldValueInvalid", field: (template + ["metadata", "labels"]).joined(separator: "."),
                               message: "Invalid value: \(shown): `selector` does not match template `labels`")]
        }
        return []
    }

    /// ClusterIP allocation, port defaults and, on update, the allocations of `old` kept.
    mutating func defaultService(_ obj: inout JSONValue, old: JSONValue?) {
        Self.fill(&obj, ["spec", "type"], "ClusterIP")
        let type = obj[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName" else { return }
        Self.fill(&obj, ["spec", "sessionAffinity"], "None")
        Self.fill(&obj, ["spec", "internalTrafficPolicy"], "Cluster")
        if type == "NodePort" || type == "LoadBalancer" { Self.fill(&obj, ["spec", "externalTrafficPolicy"], "Cluster") }
        if type == "LoadBalancer" { Self.fill(&obj, ["spec", "allocateLoadBalancerNodePorts"], true) }
        if let old, obj[path: ["spec", "clusterIP"]] == nil || obj[path: ["spec", "clusterIP"]] == "" {
            obj.set(path: ["spec", "clusterIP"], to: old[path: ["spec", "clusterIP"]])
            obj.set(path: ["spec", "clusterIPs"], to: old[path: ["spec", "clusterIPs"]])
        }
        var ip = obj[path: ["spec", "clusterIP"]]?.stringValue ?? ""
        if ip.isEmpty {
            ip = allocateClusterIP()
            obj.set(path: ["spec", "clusterIP"], to: .string(ip))
        }
        Self.fill(&obj, ["spec", "clusterIPs"], [.string(ip)])
        Self.fill(&obj, ["spec", "ipFamilies"], ["IPv4"])
        Self.fill(&obj, ["spec", "ipFamilyPolicy"], "SingleStack")
        let oldPorts = old?[path: ["spec", "ports"]]?.arrayValue ?? []
        var ports = obj[path: ["spec", "ports"]]?.arrayValue ?? []
        for i in ports.indices {
            if ports[i]["protocol"] == nil { ports[i]["protocol"] = "TCP" }
            if ports[i]["targetPort"] == nil { ports[i]["targetPort"] = ports[i]["port"] ?? 0 }
            if (type == "NodePort" || type == "LoadBalancer") && ports[i]["nodePort"] == nil {
                let kept = oldPorts.first { $0["port"] == ports[i]["port"] && $0["protocol"] == ports[i]["protocol"] }?["nodePort"]
                ports[i]["nodePort"] = kept ?? .int(allocateNodePort())
            }
        }
        if obj[path: ["spec", "ports"]] != nil { obj.set(path: ["spec", "ports"], to: .array(ports)) }
    }

    private func allocateClusterIP() -> String {
        let used = Set((objects[WorkloadResources.services] ?? [:]).values.compactMap { $0[path: ["spec", "clusterIP"]]?.stringValue })
        while true {
            let n = Int.random(in: 10...65_000)
            let ip = "10.96.\(n / 256).\(n % 256)"
            if !used.contains(ip) { return ip }
        }
    }

    private func allocateNodePort() -> Int64 {
        let used = Set((objects[WorkloadResources.services] ?? [:]).values.flatMap {
            ($0[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }
        })
        while true {
            let p = Int64.random(in: 30000...32767)
            if !used.contains(p) { return p }
        }
    }

    static func fill(_ obj: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if obj[path: path] == nil { obj.set(path: path, to: value) }
    }

    /// The pod-spec defaults a workload's template gets (`SetDefaults_PodSpec`, `SetDefaults_Container`).
    static func defaultPodTemplate(_ obj: inout JSONValue, _ template: [String]) {
        let spec = template + ["spec"]
        guard obj[path: spec] != nil else { return }
        fill(&obj, spec + ["restartPolicy"], "Always")
        fill(&obj, spec + ["dnsPolicy"], "ClusterFirst")
        fill(&obj, spec + ["schedulerName"], "default-scheduler")
        fill(&obj, spec + ["terminationGracePeriodSeconds"], 30)
        fill(&obj, spec + ["securityContext"], [:])
        fill(&obj, template + ["metadata", "creationTimestamp"], .null)
        for list in ["containers", "initContainers"] {
            guard var containers = obj[path: spec + [list]]?.arrayValue else { continue }
            for i in containers.indices {
                let image = containers[i]["image"]?.stringValue ?? ""
                let tagged = image.split(separator: "/").last?.contains(":") == true || image.contains("@")
                if containers[i]["imagePullPolicy"] == nil {
                    containers[i]["imagePullPolicy"] = (!tagged || image.hasSuffix(":latest")) ? "Always" : "IfNotPresent"
                }
                if containers[i]["terminationMessagePath"] == nil { containers[i]["terminationMessagePath"] = "/dev/termination-log" }
                if containers[i]["terminationMessagePolicy"] == nil { containers[i]["terminationMessagePolicy"] = "File" }
                if containers[i]["resources"] == nil { containers[i]["resources"] = [:] }
                if var ports = containers[i]["ports"]?.arrayValue {
                    for p in ports.indices where ports[p]["protocol"] == nil { ports[p]["protocol"] = "TCP" }
                    containers[i]["ports"] = .array(ports)
                }
            }
            obj.set(path: spec + [list], to: .array(containers))
        }
    }
}

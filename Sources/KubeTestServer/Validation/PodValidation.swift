import KubeAPI

/// Pod and Job validation beyond the basics the strategies check: container names (DNS labels,
/// unique), images and pull policies, `restartPolicy` and `dnsPolicy`; Pod spec immutability on update (only images, activeDeadlineSeconds,
/// added tolerations and terminationGracePeriodSeconds may change); Job counts non-negative.
enum PodValidation {
    static let immutableSpecMessage = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    static func containers(_ spec: JSONValue?, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for key in ["initContainers", "containers"] {
            for (i, c) in (spec?[key]?.arrayValue ?? []).enumerated() {
                let p = "\(path).\(key)[\(i)]"
                let name = c["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errors.append(.required("\(p).name", ""))
                } else {
                    errors += NameRules.dns1123Label(name).map { .invalid("\(p).name", name, $0) }
                    if !seen.insert(name).inserted { errors.append(.duplicate("\(p).name", .string(name))) }
                }
                if (c["image"]?.stringValue ?? "").isEmpty {
                    errors.append(.required("\(p).image", ""))
                }
                if let policy = c["imagePullPolicy"], !["Always", "IfNotPresent", "Never"].contains(policy.stringValue ?? "") {
                    errors.append(.notSupported("\(p).imagePullPolicy", policy, ["Always", "IfNotPresent", "Never"]))
                }
            }
        }
        return errors
    }

    /// Pod-level enums: `restartPolicy` and `dnsPolicy`.
    static func podSpec(_ spec: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if let policy = spec?["restartPolicy"], !["Always", "OnFailure", "Never"].contains(policy.stringValue ?? "") {
            errors.append(.notSupported("spec.restartPolicy", policy, ["Always", "OnFailure", "Never"]))
        }
        let dns = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
        if let policy = spec?["dnsPolicy"], !dns.contains(policy.stringValue ?? "") {
            errors.append(.notSupported("spec.dnsPolicy", policy, dns))
        }
        return errors
    }

    static func podUpdate(_ obj: JSONValue, old: JSONValue) -> [FieldError] {
        func mutableCleared(_ spec: JSONValue?) -> JSONValue {
            var s = spec ?? [:]
            for key in ["containers", "initContainers"] {
                if let list = s[key]?.arrayValue { s[key] = .array(list.map { c in var c = c; c["image"] = nil; return c }) }
            }
            s["activeDeadlineSeconds"] = nil
            s["terminationGracePeriodSeconds"] = nil
            s["tolerations"] = nil
            return s
        }
        var errors: [FieldError] = []
        if mutableCleared(obj["spec"]) != mutableCleared(old["spec"]) {
            errors.append(.forbidden("spec", immutableSpecMessage))
        } else {
            let before = old[path: ["spec", "tolerations"]]?.arrayValue ?? []
            let after = obj[path: ["spec", "tolerations"]]?.arrayValue ?? []
            if !before.allSatisfy({ after.contains($0) }) { errors.append(.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")) }
        }
        return errors
    }

    static func job(_ obj: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"] {
            if let v = obj[path: ["spec", field]]?.intValue, v < 0 {
                errors.append(.invalid("spec.\(field)", .int(v), "must be greater than or equal to 0"))
            }
        }
        errors += containers(obj[path: ["spec", "template", "spec"]], path: "spec.template.spec")
        return errors
    }
}

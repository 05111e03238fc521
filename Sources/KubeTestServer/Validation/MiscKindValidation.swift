import KubeAPI

/// Validation of the smaller kinds: Lease durations and transitions, core Event involvedObject
/// namespace, ResourceQuota `hard` and LimitRange bounds (non-negative, min ≤ max).
enum MiscKindValidation {
    static func lease(_ obj: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if let d = obj[path: ["spec", "leaseDurationSeconds"]]?.intValue, d <= 0 {
            errors.append(.invalid("spec.leaseDurationSeconds", .int(d), "must be greater than 0"))
        }
        if let t = obj[path: ["spec", "leaseTransitions"]]?.intValue, t < 0 {
            errors.append(.invalid("spec.leaseTransitions", .int(t), "must be greater than or equal to 0"))
        }
        return errors
    }

    /// core/v1 Event (`legacyValidateEvent`): without `eventTime` the involved object's namespace
    /// must match the event's (or be empty in `default`); with it, the reporting fields are required.
    static func event(_ obj: JSONValue) -> [FieldError] {
        let ns = obj[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let involved = obj[path: ["involvedObject", "namespace"]]?.stringValue ?? ""
        let mismatch = FieldError.invalid("involvedObject.namespace", involved, "does not match event.namespace")
        guard let eventTime = obj["eventTime"], eventTime != .null else {
            let ok = involved.isEmpty ? (ns.isEmpty || ns == "default") : involved == ns
            return ok ? [] : [mismatch]
        }
        var errors: [FieldError] = []
        if involved.isEmpty, ns != "default", ns != "kube-system" { errors.append(mismatch) }
        let controller = obj["reportingComponent"]?.stringValue ?? ""
        if controller.isEmpty { errors.append(.required("reportingComponent", "")) }
        errors += NameRules.qualifiedName(controller).map { .invalid("reportingComponent", controller, $0) }
        for field in ["reportingInstance", "action", "reason"] where (obj[field]?.stringValue ?? "").isEmpty {
            errors.append(.required(field, ""))
        }
        return errors
    }

    static func resourceQuota(_ obj: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let hard = obj[path: ["spec", "hard"]]?.objectValue ?? [:]
        for key in hard.keys.sorted() {
            errors += NameRules.qualifiedName(key).map { .invalid("spec.hard[\(key)]", key, $0) }
            if let q = ResourceLists.read([key: hard[key]!])[key], q < .zero {
                errors.append(.invalid("spec.hard[\(key)]", .string(q.description), "must be greater than or equal to 0"))
            }
        }
        let scopes = (obj[path: ["spec", "scopes"]]?.arrayValue ?? [])
        let known = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity", "VolumeAttributesClass"]
        for (i, s) in scopes.enumerated() where !known.contains(s.stringValue ?? "") {
            errors.append(.notSupported("spec.scopes[\(i)]", s, known))
        }
        return errors
    }

    static func limitRange(_ obj: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, item) in (obj[path: ["spec", "limits"]]?.arrayValue ?? []).enumerated() {
            let path = "spec.limits[\(i)]"
            let type = item["type"]?.stringValue ?? ""
            if !["Pod", "Container", "PersistentVolumeClaim"].contains(type) {
                errors.append(.notSupported("\(path).type", item["type"] ?? .string(""), ["Container", "PersistentVolumeClaim", "Pod"]))
            }
            let min = ResourceLists.read(item["min"]), max = ResourceLists.read(item["max"])
            let def = ResourceLists.read(item["default"]), defReq = ResourceLists.read(item["defaultRequest"])
            for field in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] {
                for (k, q) in ResourceLists.read(item[field]) where q < .zero {
                    errors.append(.invalid("\(path).\(field)[\(k)]", .string(q.description), "must be greater than or equal to 0"))
                }
            }
            // Per resource name, in the order of upstream ValidateLimitRange (the Invalid value of
            // "default value … is greater than max value …" is the max, as upstream reports it).
            for k in Set(min.keys).union(max.keys).union(def.keys).union(defReq.keys).sorted() {
                func bad(_ field: String, _ value: Quantity, _ message: String) {
                    errors.append(.invalid("\(path).\(field)[\(k)]", .string(value.description), message))
                }
                if let mn = min[k], let mx = max[k], mn > mx { bad("min", mn, "min value \(mn) is greater than max value \(mx)") }
                if let dr = defReq[k], let mn = min[k], mn > dr { bad("defaultRequest", dr, "min value \(mn) is greater than default request value \(dr)") }
                if let dr = defReq[k], let mx = max[k], dr > mx { bad("defaultRequest", dr, "default request value \(dr) is greater than max value \(mx)") }
                if let dr = defReq[k], let d = def[k], dr > d { bad("defaultRequest", dr, "default request value \(dr) is greater than default limit value \(d)") }
                if let d = def[k], let mn = min[k], mn > d { bad("default", mn, "min value \(mn) is greater than default value \(d)") }
                if let d = def[k], let mx = max[k], d > mx { bad("default", mx, "default value \(d) is greater than max value \(mx)") }
            }
        }
        return errors
    }
}

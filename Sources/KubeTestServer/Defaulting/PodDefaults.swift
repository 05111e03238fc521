import KubeAPI

/// The defaults kube-apiserver's scheme gives a v1 Pod (`SetDefaults_Pod`, `SetDefaults_PodSpec`,
/// `SetDefaults_Container`, volume sources) and a pod template (the same, minus the Pod-only
/// ones: requests copied from limits). Applied before admission, as decoding does.
enum PodDefaults {
    /// Defaults a Pod's `spec` (pass `["spec"]`) or a template's (`["spec", "template", "spec"]`).
    static func apply(_ obj: inout JSONValue, spec path: [String], isPod: Bool) {
        guard var spec = obj[path: path], case .object = spec else { return }
        set(&spec, "dnsPolicy", "ClusterFirst")
        if isPod { set(&spec, "restartPolicy", "Always") }
        set(&spec, "terminationGracePeriodSeconds", 30)
        set(&spec, "securityContext", [:])
        set(&spec, "schedulerName", "default-scheduler")
        set(&spec, "enableServiceLinks", true)
        for key in ["containers", "initContainers"] {
            guard let list = spec[key]?.arrayValue else { continue }
            spec[key] = .array(list.map { container(of: $0, isPod: isPod) })
        }
        if let volumes = spec["volumes"]?.arrayValue { spec["volumes"] = .array(volumes.map(volume)) }
        obj.set(path: path, to: spec)
    }

    static func container(of c: JSONValue, isPod: Bool) -> JSONValue {
        var c = c
        guard case .object = c else { return c }
        if c["imagePullPolicy"] == nil, let image = c["image"]?.stringValue {
            c["imagePullPolicy"] = .string(pullPolicy(image))
        }
        set(&c, "terminationMessagePath", "/dev/termination-log")
        set(&c, "terminationMessagePolicy", "File")
        set(&c, "resources", [:])
        if isPod, let limits = c[path: ["resources", "limits"]]?.objectValue, !limits.isEmpty {
            var requests = c[path: ["resources", "requests"]]?.objectValue ?? [:]
            for (k, v) in limits where requests[k] == nil { requests[k] = v }
            c.set(path: ["resources", "requests"], to: .object(requests))
        }
        if let ports = c["ports"]?.arrayValue {
            c["ports"] = .array(ports.map { p in var p = p; set(&p, "protocol", "TCP"); return p })
        }
        if let env = c["env"]?.arrayValue {
            c["env"] = .array(env.map { e in
                var e = e
                if e[path: ["valueFrom", "fieldRef"]] != nil, e[path: ["valueFrom", "fieldRef", "apiVersion"]] == nil {
                    e.set(path: ["valueFrom", "fieldRef", "apiVersion"], to: "v1")
                }
                return e
            })
        }
        return c
    }

    /// `Always` for `:latest` or untagged images, else `IfNotPresent`.
    static func pullPolicy(_ image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastPart = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastPart.lastIndex(of: ":") else { return "Always" }
        return lastPart[lastPart.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    static func volume(_ v: JSONValue) -> JSONValue {
        var v = v
        for source in ["secret", "configMap", "projected", "downwardAPI"] where v[source] != nil {
            if v[path: [source, "defaultMode"]] == nil { v.set(path: [source, "defaultMode"], to: 420) }
        }
        if v["emptyDir"] == .null { v["emptyDir"] = [:] }
        return v
    }

    /// `status.qosClass` from the containers' requests and limits.
    static func qosClass(_ spec: JSONValue) -> String {
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        var anySet = false
        var guaranteed = true
        for c in containers {
            let requests = c[path: ["resources", "requests"]]?.objectValue ?? [:]
            let limits = c[path: ["resources", "limits"]]?.objectValue ?? [:]
            for name in ["cpu", "memory"] {
                let r = requests[name]?.stringValue.flatMap(Quantity.init(parsing:))
                let l = limits[name]?.stringValue.flatMap(Quantity.init(parsing:))
                if (r.map { !$0.isZero } ?? false) || (l.map { !$0.isZero } ?? false) { anySet = true }
                if l == nil || (r != nil && r != l) { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    private static func set(_ o: inout JSONValue, _ key: String, _ value: JSONValue) {
        if o[key] == nil { o[key] = value }
    }
}

import Foundation
import KubeAPI

/// Scheme defaulting of the built-in kinds (what decoding a request body does on a real apiserver,
/// before admission), on creates and updates alike:
/// - Pod spec and Job pod-template defaults (`PodDefaults`); a Job without labels takes its
///   template's labels and `manualSelector: false`;
/// - Secret: `type: Opaque`; `stringData` merged into `data` (base64) and dropped — on create, PUT
///   and every patch, since a patched object is decoded like a PUT body;
/// - NetworkPolicy: `policyTypes` (`[Ingress]`, plus `Egress` when egress rules exist), port
///   `protocol: TCP`;
/// - LimitRange `Container` items: `default` from `max`, `defaultRequest` from `default` then `min`;
/// - quantities (container resources, quota `hard`, limit-range values) in canonical form;
/// - RoleBinding/ClusterRoleBinding `roleRef`/subject API groups (`RBACDefaults`).
enum BuiltinDefaults {
    static func apply(_ type: ResourceType, _ obj: inout JSONValue, isCreate: Bool) {
        switch type.storageKey {
        case "pods":
            PodDefaults.apply(&obj, spec: ["spec"], isPod: true)
            canonicalizeContainers(&obj, ["spec"])
        case "jobs.batch":
            PodDefaults.apply(&obj, spec: ["spec", "template", "spec"], isPod: false)
            canonicalizeContainers(&obj, ["spec", "template", "spec"])
            if isCreate, obj[path: ["spec", "manualSelector"]] == nil { obj.set(path: ["spec", "manualSelector"], to: false) }
            if isCreate, (obj[path: ["metadata", "labels"]]?.objectValue ?? [:]).isEmpty,
               let labels = obj[path: ["spec", "template", "metadata", "labels"]] {
                obj.set(path: ["metadata", "labels"], to: labels)
            }
        case "secrets":
            if obj["type"] == nil || obj["type"] == .string("") { obj["type"] = "Opaque" }
            if let stringData = obj["stringData"]?.objectValue {
                var data = obj["data"]?.objectValue ?? [:]
                for (k, v) in stringData { data[k] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString()) }
                obj["data"] = .object(data)
            }
            obj["stringData"] = nil
        case "networkpolicies.networking.k8s.io":
            networkPolicy(&obj)
        case "limitranges":
            limitRange(&obj)
        case "resourcequotas":
            obj.set(path: ["spec", "hard"], to: canonical(obj[path: ["spec", "hard"]]))
        case "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io":
            RBACDefaults.binding(&obj)
        default:
            break
        }
    }

    static func networkPolicy(_ obj: inout JSONValue) {
        guard case .object = obj["spec"] ?? .null else { return }
        if (obj[path: ["spec", "policyTypes"]]?.arrayValue ?? []).isEmpty {
            var types: [JSONValue] = ["Ingress"]
            if !(obj[path: ["spec", "egress"]]?.arrayValue ?? []).isEmpty { types.append("Egress") }
            obj.set(path: ["spec", "policyTypes"], to: .array(types))
        }
        for direction in ["ingress", "egress"] {
            guard let rules = obj[path: ["spec", direction]]?.arrayValue else { continue }
            obj.set(path: ["spec", direction], to: .array(rules.map { rule in
                var rule = rule
                if let ports = rule["ports"]?.arrayValue {
                    rule["ports"] = .array(ports.map { p in var p = p; if p["protocol"] == nil { p["protocol"] = "TCP" }; return p })
                }
                return rule
            }))
        }
    }

    static func limitRange(_ obj: inout JSONValue) {
        guard let items = obj[path: ["spec", "limits"]]?.arrayValue else { return }
        obj.set(path: ["spec", "limits"], to: .array(items.map { item in
            var item = item
            for k in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] where item[k] != nil {
                item[k] = canonical(item[k])
            }
            guard item["type"]?.stringValue == "Container" else { return item }
            var defaults = item["default"]?.objectValue ?? [:]
            for (k, v) in item["max"]?.objectValue ?? [:] where defaults[k] == nil { defaults[k] = v }
            var requests = item["defaultRequest"]?.objectValue ?? [:]
            for (k, v) in defaults where requests[k] == nil { requests[k] = v }
            for (k, v) in item["min"]?.objectValue ?? [:] where requests[k] == nil { requests[k] = v }
            if !defaults.isEmpty { item["default"] = .object(defaults) }
            if !requests.isEmpty { item["defaultRequest"] = .object(requests) }
            return item
        }))
    }

    static func canonicalizeContainers(_ obj: inout JSONValue, _ spec: [String]) {
        for key in ["containers", "initContainers"] {
            guard let list = obj[path: spec + [key]]?.arrayValue else { continue }
            obj.set(path: spec + [key], to: .array(list.map { c in
                var c = c
                for part in ["requests", "limits"] where c[path: ["resources", part]] != nil {
                    c.set(path: ["resources", part], to: canonical(c[path: ["resources", part]]))
                }
                return c
            }))
        }
    }

    /// A ResourceList with every parseable quantity in canonical form (others left for validation).
    static func canonical(_ list: JSONValue?) -> JSONValue? {
        guard let o = list?.objectValue else { return list }
        return .object(o.mapValues { v in
            if let s = v.stringValue, let q = Quantity(parsing: s) { return .string(q.description) }
            if case .int(let i) = v { return .string(Quantity(integer: i).description) }
            return v
        })
    }
}

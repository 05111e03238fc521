import KubeAPI

/// A `ResourceList` (`{cpu: "500m", memory: "1Gi"}`) as quantities, with the apiserver's printing.
typealias ResourceList = [String: Quantity]

enum ResourceLists {
    /// Reads a ResourceList, skipping values that are not quantities (validation reports those).
    static func read(_ value: JSONValue?) -> ResourceList {
        var out: ResourceList = [:]
        for (k, v) in value?.objectValue ?? [:] {
            if let s = v.stringValue, let q = Quantity(parsing: s) {
                out[k] = q
            } else if let i = v.intValue {
                out[k] = Quantity(integer: i)
            }
        }
        return out
    }

    static func json(_ list: ResourceList) -> JSONValue {
        .object(list.mapValues { .string($0.description) })
    }

    /// `a=1,b=2`, keys sorted (the quota plugin's `prettyPrint`).
    static func pretty(_ list: ResourceList) -> String {
        list.keys.sorted().map { "\($0)=\(list[$0]!)" }.joined(separator: ",")
    }

    static func add(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        var out = a
        for (k, v) in b { out[k] = (out[k] ?? .zero) + v }
        return out
    }

    /// The containers and init containers of a pod spec, as (name, requests, limits, isInit).
    static func containers(_ spec: JSONValue?) -> [(name: String, requests: ResourceList, limits: ResourceList, isInit: Bool)] {
        var out: [(name: String, requests: ResourceList, limits: ResourceList, isInit: Bool)] = []
        for (key, isInit) in [("containers", false), ("initContainers", true)] {
            for c in spec?[key]?.arrayValue ?? [] {
                out.append((c["name"]?.stringValue ?? "", read(c[path: ["resources", "requests"]]),
                            read(c[path: ["resources", "limits"]]), isInit))
            }
        }
        return out
    }
}

import KubeAPI

/// Reads a CustomResourceDefinition: the resource types it serves, and the status the
/// apiextensions-apiserver would give it (NamesAccepted, Established).
enum CRDTypes {
    static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    static func storageKey(of crd: JSONValue) -> String {
        let plural = crd[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        return "\(plural).\(group)"
    }

    /// The served versions as resource types, highest-priority version first (Kubernetes version order).
    static func types(of crd: JSONValue) -> [ResourceType] {
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let names = spec["names"], let plural = names["plural"]?.stringValue,
              let kind = names["kind"]?.stringValue else { return [] }
        let established = (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        }
        guard established else { return [] }
        let namespaced = spec["scope"]?.stringValue != "Cluster"
        let versions = (spec["versions"]?.arrayValue ?? []).filter { $0["served"]?.boolValue ?? false }
        let sorted = versions.sorted { versionPriority($0["name"]?.stringValue ?? "") > versionPriority($1["name"]?.stringValue ?? "") }
        return sorted.map { v in
            let columns = (v["additionalPrinterColumns"]?.arrayValue ?? []).map { c in
                let jsonPath = c["jsonPath"]?.stringValue ?? ""
                // As apiextensions-apiserver's tableconvertor: a column without a description describes its path.
                let description = c["description"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                    ?? "Custom resource definition column (in JSONPath format): \(jsonPath)"
                return PrinterColumn(name: c["name"]?.stringValue ?? "", type: c["type"]?.stringValue ?? "string",
                                     format: c["format"]?.stringValue ?? "", description: description,
                                     priority: Int(c["priority"]?.intValue ?? 0), jsonPath: jsonPath)
            }
            return ResourceType(group: group, version: v["name"]?.stringValue ?? "", plural: plural, kind: kind,
                                namespaced: namespaced, singular: names["singular"]?.stringValue ?? kind.lowercased(),
                                shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                                categories: (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                                subresources: v[path: ["subresources", "status"]] != nil ? ["status"] : [],
                                schema: v[path: ["schema", "openAPIV3Schema"]], printerColumns: columns,
                                crdName: crd[path: ["metadata", "name"]]?.stringValue)
        }
    }

    /// Kubernetes version ordering: GA > beta > alpha > other, then higher major, then higher minor.
    static func versionPriority(_ v: String) -> Int {
        let chars = Array(v)
        guard chars.first == "v" else { return 0 }
        var i = 1
        var major = 0
        while i < chars.count, let d = chars[i].wholeNumberValue { major = major * 10 + d; i += 1 }
        if i == chars.count { return 3_000_000 + major * 1000 }
        let rest = String(chars[i...])
        let level: Int
        var minorText: Substring
        if rest.hasPrefix("beta") { level = 2; minorText = rest.dropFirst(4) }
        else if rest.hasPrefix("alpha") { level = 1; minorText = rest.dropFirst(5) }
        else { return 0 }
        let minor = Int(minorText) ?? 0
        minorText = ""
        return level * 1_000_000 + major * 1000 + minor
    }

    /// Validates a CRD as apiextensions-apiserver does (`CRDValidation`); returns field errors.
    static func validate(_ crd: JSONValue) -> [FieldError] {
        CRDValidation.validate(crd)
    }

    /// Defaults `spec.names` and sets the status a freshly accepted CRD has.
    static func accept(_ crd: inout JSONValue, now: String) {
        var names = crd[path: ["spec", "names"]] ?? [:]
        let kind = names["kind"]?.stringValue ?? ""
        if names["singular"] == nil { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil { names["listKind"] = .string(kind + "List") }
        crd.set(path: ["spec", "names"], to: names)
        let storage = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }
        var stored = (crd[path: ["status", "storedVersions"]]?.arrayValue ?? [])
        if let v = storage?["name"], !stored.contains(v) { stored.append(v) }
        crd["status"] = [
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "lastTransitionTime": .string(now),
                 "reason": "NoConflicts", "message": "no conflicts found"],
                ["type": "Established", "status": "True", "lastTransitionTime": .string(now),
                 "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"],
            ],
            "acceptedNames": names,
            "storedVersions": .array(stored),
        ]
    }
}

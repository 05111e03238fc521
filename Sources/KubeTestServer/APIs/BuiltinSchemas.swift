import KubeAPI

/// The field schemas of the built-in kinds, parsed once from `BuiltinSchemaTable` (generated from
/// the Kubernetes sources by `scripts/gen-builtin-schemas.py`).
///
/// One source for three consumers: the OpenAPI documents (`kubectl explain`), server-side field
/// validation (unknown fields) and the protobuf request decoder (field numbers). Messages the table
/// lists without fields (`Time`, `Quantity`, `IntOrString`, `RawExtension`, …) are scalars or
/// free-form values with their own JSON form; a field whose message is not in the table is free-form.
struct BuiltinSchemas: Sendable {
    struct Field: Sendable {
        var name: String
        var number: Int
        /// `string`, `int32`, `int64`, `bool`, `bytes`, `double`, … or a message name.
        var type: String
        var repeated = false
        /// `map<string, type>`.
        var isMap = false
        /// An embedded struct whose fields appear at this level in JSON (`Volume.volumeSource`).
        var inline = false
        var listType: String?
        var listMapKeys: [String] = []
        var patchMergeKey: String?
        var patchStrategy: String?
        var description: String
    }

    struct Message: Sendable {
        var name: String
        var description: String
        var fields: [Field]
        /// Fields by JSON name, inline embeddings flattened.
        var byName: [String: Field] = [:]
    }

    private(set) var messages: [String: Message] = [:]

    static let shared = BuiltinSchemas(parsing: BuiltinSchemaTable.text)

    init(parsing text: String) {
        var current: Message?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            if parts.first == "M", parts.count >= 3 {
                if let m = current { messages[m.name] = m }
                current = Message(name: parts[1], description: parts[2], fields: [])
            } else if parts.first == "F", parts.count >= 6, current != nil {
                var f = Field(name: parts[1], number: Int(parts[2]) ?? 0, type: parts[3], description: parts[5])
                for flag in parts[4].split(separator: ",") {
                    switch flag {
                    case "r": f.repeated = true
                    case "m": f.isMap = true
                    case "i": f.inline = true
                    default:
                        let kv = flag.split(separator: "=", maxSplits: 1).map(String.init)
                        guard kv.count == 2 else { continue }
                        switch kv[0] {
                        case "lt": f.listType = kv[1]
                        case "lk": f.listMapKeys.append(kv[1])
                        case "pk": f.patchMergeKey = kv[1]
                        case "ps": f.patchStrategy = kv[1].replacingOccurrences(of: "+", with: ",")
                        default: break
                        }
                    }
                }
                current!.fields.append(f)
            }
        }
        if let m = current { messages[m.name] = m }
        for name in messages.keys { messages[name]!.byName = flatten(name) }
    }

    private func flatten(_ name: String) -> [String: Field] {
        var out: [String: Field] = [:]
        for f in messages[name]?.fields ?? [] {
            if f.inline, messages[f.type] != nil {
                for (k, v) in flatten(f.type) { out[k] = v }
            } else {
                out[f.name] = f
            }
        }
        return out
    }

    func message(_ name: String) -> Message? { messages[name] }

    /// Whether values of `type` are objects whose fields the table knows (so unknown ones can be found).
    func isStructured(_ type: String) -> Bool {
        guard let m = messages[type] else { return false }
        return !m.fields.isEmpty
    }

    /// The message of a served built-in kind (`io.k8s.api.apps.v1.Deployment`), if the table has it.
    func rootMessage(group: String, version: String, kind: String) -> String? {
        let name: String
        switch group {
        case "apiextensions.k8s.io": name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.\(version).\(kind)"
        case "": name = "io.k8s.api.core.\(version).\(kind)"
        default:
            let package = group.hasSuffix(".k8s.io") ? String(group.dropLast(".k8s.io".count)) : group
            name = "io.k8s.api.\(package.replacingOccurrences(of: ".authorization", with: "")).\(version).\(kind)"
        }
        return messages[name] == nil ? nil : name
    }
}

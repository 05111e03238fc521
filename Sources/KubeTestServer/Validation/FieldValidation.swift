import KubeAPI

/// Server-side field validation (`fieldValidation=Strict|Warn|Ignore`) of a request body against
/// the kind's schema: fields the schema does not declare and fields given twice.
///
/// Strict → 400 `strict decoding error: unknown field "spec.bogus", duplicate field "x"` (custom
/// resources too); Warn (the default) → one `Warning: 299 - "unknown field \"spec.bogus\""` header
/// each, and the fields are dropped as the decoder drops them; Ignore → dropped silently.
/// Unknown `metadata` fields are reported for every kind.
enum FieldValidation {
    enum Mode: String { case strict = "Strict", warn = "Warn", ignore = "Ignore" }

    /// `fieldValidation` of a create (`CreateOptions`), update or patch; 422 for other values.
    static func mode(_ q: [String: String], options kind: String) throws(APIError) -> Mode {
        guard let raw = q["fieldValidation"], !raw.isEmpty else { return .warn }
        guard let mode = Mode(rawValue: raw) else {
            throw invalidOptions(kind, field: "fieldValidation",
                                 "Unsupported value: \"\(raw)\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")
        }
        return mode
    }

    /// `CreateOptions.meta.k8s.io "" is invalid: …` (422), as `ValidateCreateOptions` words it.
    static func invalidOptions(_ kind: String, field: String, _ message: String) -> APIError {
        APIError(code: 422, reason: "Invalid", message: "\(kind).meta.k8s.io \"\" is invalid: \(field): \(message)",
                 details: ["group": "meta.k8s.io", "kind": .string(kind),
                           "causes": [["reason": "FieldValueNotSupported", "message": .string(message), "field": .string(field)]]])
    }

    /// The problems of `raw` (a JSON body) for `type`, in document order.
    static func problems(_ raw: [UInt8], type: ResourceType, patch: Bool = false) -> [String] {
        guard let doc = OrderedJSON.parse(raw) else { return [] }  // not JSON (YAML): see `check`
        return problems(in: doc, type: type, patch: patch)
    }

    /// The problems of a parsed body for `type`, in document order.
    private static func problems(in doc: OrderedJSON, type: ResourceType, patch: Bool) -> [String] {
        var out: [String] = []
        var path = MemberPath()
        walk(doc, SchemaNode.root(for: type), path: &path, root: true, patch: patch, &out)
        return out
    }

    /// The path to the value being walked, rendered (`spec.items[0].name`) only for a problem:
    /// the walk visits every member of every body, most of them fine.
    struct MemberPath {
        enum Part { case key(String), index(Int) }
        var parts: [Part] = []

        func rendered(_ last: String) -> String {
            var text = ""
            for part in parts {
                switch part {
                case .key(let k): text += text.isEmpty ? k : ".\(k)"
                case .index(let i): text += "[\(i)]"
                }
            }
            return text.isEmpty ? last : "\(text).\(last)"
        }
    }

    private static func walk(_ value: OrderedJSON, _ node: SchemaNode, path: inout MemberPath, root: Bool, patch: Bool,
                             _ out: inout [String]) {
        switch value {
        case .object(let members):
            let declares = node.declaresFields
            var seen: Set<String> = []
            for (k, v) in members {
                if !seen.insert(k).inserted { out.append("duplicate field \"\(path.rendered(k))\""); continue }
                if patch && k.hasPrefix("$") { continue }
                if declares, isUnknown(k, in: node, root: root) {
                    out.append("unknown field \"\(path.rendered(k))\"")
                    continue
                }
                path.parts.append(.key(k))
                walk(v, node.property(k), path: &path, root: false, patch: patch, &out)
                path.parts.removeLast()
            }
        case .array(let items):
            let itemNode = node.items
            for (i, item) in items.enumerated() {
                path.parts.append(.index(i))
                walk(item, itemNode, path: &path, root: false, patch: patch, &out)
                path.parts.removeLast()
            }
        case .scalar:
            break
        }
    }

    /// Drops the fields the schema does not declare (what decoding into the typed object does).
    static func prune(_ value: inout JSONValue, type: ResourceType) {
        guard type.schema == nil else { return }   // custom resources: pruned by SchemaValidation
        prune(&value, SchemaNode.root(for: type), root: true)
    }

    /// Whether member `k` of an object at `node` (one that `declaresFields`) is not declared there;
    /// `apiVersion` and `kind` of the root object always are. The one rule for `walk` and `prune`.
    private static func isUnknown(_ k: String, in node: SchemaNode, root: Bool) -> Bool {
        !node.declares(k) && !(root && (k == "apiVersion" || k == "kind"))
    }

    private static func prune(_ value: inout JSONValue, _ node: SchemaNode, root: Bool) {
        switch value {
        case .object(var o):
            let declares = node.declaresFields
            for (k, v) in o {
                if declares, isUnknown(k, in: node, root: root), !k.hasPrefix("$") { o.removeValue(forKey: k); continue }
                var child = v
                prune(&child, node.property(k), root: false)
                o[k] = child
            }
            value = .object(o)
        case .array(var items):
            for i in items.indices { prune(&items[i], node.items, root: false) }
            value = .array(items)
        default:
            break
        }
    }

    /// `Warning` headers for Warn mode.
    static func warningHeaders(_ problems: [String]) -> [(String, String)] {
        problems.map { ("Warning", "299 - \"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"") }
    }

    /// Applies `mode` to a body: throws (Strict), or returns the warnings (Warn) and prunes the body.
    static func check(_ raw: [UInt8], _ body: inout JSONValue, type: ResourceType, mode: Mode,
                      patch: Bool = false) throws(APIError) -> [(String, String)] {
        guard mode != .ignore else { prune(&body, type: type); return [] }
        let found: [String]
        if let doc = OrderedJSON.parse(raw) {
            found = problems(in: doc, type: type, patch: patch)
        } else {
            found = problems(body.serialized(), type: type, patch: patch)
        }
        if found.isEmpty { return [] }
        if mode == .strict { throw .badRequest("strict decoding error: \(found.joined(separator: ", "))") }
        prune(&body, type: type)
        return warningHeaders(found)
    }
}

extension APIHandler {
    /// Field validation of a JSON body by the request's `fieldValidation` (`kind`: the options
    /// type named in a 422 for a bad value). Returns the `Warning` headers of Warn mode.
    func checkFields(_ request: APIRequest, _ body: inout JSONValue, _ type: ResourceType,
                     _ kind: String) throws(APIError) -> [(String, String)] {
        let mode = try FieldValidation.mode(request.query, options: kind)
        guard !request.contentType.lowercased().hasPrefix("application/vnd.kubernetes.protobuf") else { return [] }
        return try FieldValidation.check(request.body, &body, type: type, mode: mode, patch: request.method == "PATCH")
    }
}

extension APIResponse {
    /// This response with `headers` appended (e.g. `Warning`).
    func adding(_ headers: [(String, String)]) -> APIResponse {
        guard !headers.isEmpty, case .full(let code, let h, let body) = self else { return self }
        return .full(code: code, headers: h + headers, body: body)
    }
}

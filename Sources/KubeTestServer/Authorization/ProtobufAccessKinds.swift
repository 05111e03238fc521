import KubeAPI

/// Protobuf request bodies of the kinds kubectl sends for `auth can-i` (every form), `auth whoami`,
/// `create token`, `create serviceaccount|role|rolebinding|clusterrole|clusterrolebinding`
/// (field numbers of k8s.io/api's generated.proto). Registered in `ProtobufBody.decode`.
enum ProtobufAccessKinds {
    typealias Reader = ProtobufBody.Reader

    static let kinds = ["ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "TokenRequest",
                        "SelfSubjectReview", "SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview",
                        "SelfSubjectRulesReview"]

    /// Decodes `raw` into `obj` when `kind` is one of `kinds`; false for other kinds.
    static func decode(_ kind: String, _ raw: ArraySlice<UInt8>, into obj: inout [String: JSONValue]) throws(APIError) -> Bool {
        guard kinds.contains(kind) else { return false }
        var m = Reader(bytes: raw)
        while let (f, v, n) = try m.next() {
            if f == 1 { obj["metadata"] = try ProtobufBody.objectMeta(v); continue }
            switch (kind, f) {
            case ("ServiceAccount", 2): append(&obj, "secrets", try fields(v, [1: "kind", 2: "namespace", 3: "name", 4: "uid", 5: "apiVersion"]))
            case ("ServiceAccount", 3): append(&obj, "imagePullSecrets", try fields(v, [1: "name"]))
            case ("ServiceAccount", 4): obj["automountServiceAccountToken"] = .bool(n != 0)
            case ("Role", 2), ("ClusterRole", 2): append(&obj, "rules", try policyRule(v))
            case ("ClusterRole", 3):
                var r = Reader(bytes: v)
                var selectors: [JSONValue] = []
                while let (sf, sv, _) = try r.next() {
                    if sf == 1 { selectors.append(try labelSelector(sv)) }
                }
                obj["aggregationRule"] = ["clusterRoleSelectors": .array(selectors)]
            case ("RoleBinding", 2), ("ClusterRoleBinding", 2):
                append(&obj, "subjects", try fields(v, [1: "kind", 2: "apiGroup", 3: "name", 4: "namespace"]))
            case ("RoleBinding", 3), ("ClusterRoleBinding", 3): obj["roleRef"] = try fields(v, [1: "apiGroup", 2: "kind", 3: "name"])
            case ("TokenRequest", 2): obj["spec"] = try tokenRequestSpec(v)
            case ("SelfSubjectAccessReview", 2): obj["spec"] = try accessReviewSpec(v, withSubject: false)
            case ("SubjectAccessReview", 2), ("LocalSubjectAccessReview", 2): obj["spec"] = try accessReviewSpec(v, withSubject: true)
            case ("SelfSubjectRulesReview", 2): obj["spec"] = try fields(v, [1: "namespace"])
            default: break
            }
        }
        return true
    }

    static func append(_ obj: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        obj[key] = .array((obj[key]?.arrayValue ?? []) + [value])
    }

    /// A message whose listed fields are all strings (empty ones left out, as `omitempty` does).
    static func fields(_ b: ArraySlice<UInt8>, _ names: [Int: String]) throws(APIError) -> JSONValue {
        var r = Reader(bytes: b)
        var o: [String: JSONValue] = [:]
        while let (f, v, _) = try r.next() {
            if let name = names[f], !v.isEmpty { o[name] = ProtobufBody.string(v) }
        }
        return .object(o)
    }

    static func policyRule(_ b: ArraySlice<UInt8>) throws(APIError) -> JSONValue {
        let names = [1: "verbs", 2: "apiGroups", 3: "resources", 4: "resourceNames", 5: "nonResourceURLs"]
        var r = Reader(bytes: b)
        var o: [String: [JSONValue]] = [:]
        while let (f, v, _) = try r.next() {
            if let name = names[f] { o[name, default: []].append(ProtobufBody.string(v)) }
        }
        return .object(o.mapValues(JSONValue.array))
    }

    static func labelSelector(_ b: ArraySlice<UInt8>) throws(APIError) -> JSONValue {
        var r = Reader(bytes: b)
        var labels: [String: JSONValue] = [:]
        var expressions: [JSONValue] = []
        while let (f, v, _) = try r.next() {
            if f == 1 { let (k, val) = try ProtobufBody.entry(v); labels[k] = ProtobufBody.string(val) }
            if f == 2 {
                var e = Reader(bytes: v)
                var o: [String: JSONValue] = [:]
                var values: [JSONValue] = []
                while let (ef, ev, _) = try e.next() {
                    if ef == 1 { o["key"] = ProtobufBody.string(ev) }
                    if ef == 2 { o["operator"] = ProtobufBody.string(ev) }
                    if ef == 3 { values.append(ProtobufBody.string(ev)) }
                }
                if !values.isEmpty { o["values"] = .array(values) }
                expressions.append(.object(o))
            }
        }
        var o: [String: JSONValue] = [:]
        if !labels.isEmpty { o["matchLabels"] = .object(labels) }
        if !expressions.isEmpty { o["matchExpressions"] = .array(expressions) }
        return .object(o)
    }

    static func tokenRequestSpec(_ b: ArraySlice<UInt8>) throws(APIError) -> JSONValue {
        var r = Reader(bytes: b)
        var o: [String: JSONValue] = [:]
        var audiences: [JSONValue] = []
        while let (f, v, n) = try r.next() {
            switch f {
            case 1: audiences.append(ProtobufBody.string(v))
            case 3: o["boundObjectRef"] = try fields(v, [1: "kind", 2: "apiVersion", 3: "name", 4: "uid"])
            case 4: o["expirationSeconds"] = .int(Int64(bitPattern: n))
            default: break
            }
        }
        if !audiences.isEmpty { o["audiences"] = .array(audiences) }
        return .object(o)
    }

    static func accessReviewSpec(_ b: ArraySlice<UInt8>, withSubject: Bool) throws(APIError) -> JSONValue {
        var r = Reader(bytes: b)
        var o: [String: JSONValue] = [:]
        var groups: [JSONValue] = []
        var extra: [String: JSONValue] = [:]
        while let (f, v, _) = try r.next() {
            switch f {
            case 1: o["resourceAttributes"] = try fields(v, [1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource",
                                                             6: "subresource", 7: "name"])
            case 2: o["nonResourceAttributes"] = try fields(v, [1: "path", 2: "verb"])
            case 3 where withSubject: o["user"] = ProtobufBody.string(v)
            case 4 where withSubject: groups.append(ProtobufBody.string(v))
            case 5 where withSubject:
                let (k, val) = try ProtobufBody.entry(v)
                var items = Reader(bytes: val)
                var list: [JSONValue] = []
                while let (itf, itv, _) = try items.next() {
                    if itf == 1 { list.append(ProtobufBody.string(itv)) }
                }
                extra[k] = .array(list)
            case 6 where withSubject: o["uid"] = ProtobufBody.string(v)
            default: break
            }
        }
        if !groups.isEmpty { o["groups"] = .array(groups) }
        if !extra.isEmpty { o["extra"] = .object(extra) }
        return .object(o)
    }
}

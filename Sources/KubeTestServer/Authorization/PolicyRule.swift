import KubeAPI

/// One `rbac.authorization.k8s.io/v1 PolicyRule`, with the matching and covering rules of
/// `k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go` and `pkg/registry/rbac/validation`.
struct PolicyRule: Sendable, Hashable {
    var verbs: [String] = []
    var apiGroups: [String] = []
    var resources: [String] = []
    var resourceNames: [String] = []
    var nonResourceURLs: [String] = []

    init(verbs: [String] = [], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [],
         nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    init(json: JSONValue) {
        func strings(_ key: String) -> [String] { (json[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        self.init(verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// The rules of a Role or ClusterRole object.
    static func rules(of role: JSONValue) -> [PolicyRule] {
        (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
    }

    /// The API form: empty lists omitted.
    var json: JSONValue {
        var o: [String: JSONValue] = ["verbs": .array(verbs.map(JSONValue.string))]
        if !apiGroups.isEmpty { o["apiGroups"] = .array(apiGroups.map(JSONValue.string)) }
        if !resources.isEmpty { o["resources"] = .array(resources.map(JSONValue.string)) }
        if !resourceNames.isEmpty { o["resourceNames"] = .array(resourceNames.map(JSONValue.string)) }
        if !nonResourceURLs.isEmpty { o["nonResourceURLs"] = .array(nonResourceURLs.map(JSONValue.string)) }
        return .object(o)
    }

    // MARK: Matching a request (rbac.RuleAllows)

    func allows(_ a: AuthorizationAttributes) -> Bool {
        guard verbMatches(a.verb) else { return false }
        guard a.isResourceRequest else { return nonResourceURLMatches(a.path) }
        let combined = a.subresource.map { "\(a.resource)/\($0)" } ?? a.resource
        return apiGroupMatches(a.group) && resourceMatches(combined, subresource: a.subresource ?? "")
            && resourceNameMatches(a.name ?? "")
    }

    func verbMatches(_ verb: String) -> Bool { verbs.contains("*") || verbs.contains(verb) }

    func apiGroupMatches(_ group: String) -> Bool { apiGroups.contains("*") || apiGroups.contains(group) }

    func resourceMatches(_ combined: String, subresource: String) -> Bool {
        for r in resources {
            if r == "*" || r == combined { return true }
            // `*/subresource` matches that subresource of every resource.
            if !subresource.isEmpty, r.count == subresource.count + 2, r.hasPrefix("*/"), r.hasSuffix(subresource) {
                return true
            }
        }
        return false
    }

    func resourceNameMatches(_ name: String) -> Bool { resourceNames.isEmpty || resourceNames.contains(name) }

    func nonResourceURLMatches(_ path: String) -> Bool {
        nonResourceURLs.contains { url in
            url == "*" || url == path || (url.hasSuffix("*") && path.hasPrefix(String(url.dropLast())))
        }
    }

    // MARK: Covering (escalation checks)

    /// One rule per (group, resource, verb[, name]) and per (URL, verb), in the order of `BreakdownRule`.
    var breakdown: [PolicyRule] {
        var out: [PolicyRule] = []
        for g in apiGroups {
            for r in resources {
                for v in verbs {
                    if resourceNames.isEmpty {
                        out.append(PolicyRule(verbs: [v], apiGroups: [g], resources: [r]))
                    } else {
                        for n in resourceNames { out.append(PolicyRule(verbs: [v], apiGroups: [g], resources: [r], resourceNames: [n])) }
                    }
                }
            }
        }
        for u in nonResourceURLs {
            for v in verbs { out.append(PolicyRule(verbs: [v], nonResourceURLs: [u])) }
        }
        return out
    }

    /// `ruleCovers(owner, sub)`: this (owner) rule grants everything `sub` grants.
    func covers(_ sub: PolicyRule) -> Bool {
        let verbOK = verbs.contains("*") || Set(sub.verbs).isSubset(of: verbs)
        let groupOK = apiGroups.contains("*") || Set(sub.apiGroups).isSubset(of: apiGroups)
        let nameOK = sub.resourceNames.isEmpty ? resourceNames.isEmpty
            : (resourceNames.isEmpty || Set(sub.resourceNames).isSubset(of: resourceNames))
        return verbOK && groupOK && resourcesCover(sub.resources) && urlsCover(sub.nonResourceURLs) && nameOK
    }

    private func resourcesCover(_ servant: [String]) -> Bool {
        if resources.contains("*") || Set(servant).isSubset(of: resources) { return true }
        for s in servant {
            guard let slash = s.firstIndex(of: "/") else { return false }
            if !resources.contains("*/" + s[s.index(after: slash)...]) { return false }
        }
        return true
    }

    private func urlsCover(_ servant: [String]) -> Bool {
        servant.allSatisfy { s in
            nonResourceURLs.contains { o in o == "*" || o == s || (o.hasSuffix("*") && s.hasPrefix(String(o.dropLast()))) }
        }
    }

    /// The rules of `servant` that no rule of `owner` covers (atomic), as `validation.Covers` returns them.
    static func uncovered(owner: [PolicyRule], servant: [PolicyRule]) -> [PolicyRule] {
        servant.flatMap(\.breakdown).filter { sub in !owner.contains { $0.covers(sub) } }
    }

    /// Merges atomic rules that differ only in their verbs (`validation.CompactRules`).
    static func compact(_ rules: [PolicyRule]) -> [PolicyRule] {
        var out: [PolicyRule] = []
        var index: [PolicyRule: Int] = [:]
        for r in rules {
            guard r.nonResourceURLs.isEmpty, r.apiGroups.count == 1, r.resources.count == 1, r.resourceNames.count <= 1 else {
                out.append(r)
                continue
            }
            var key = r
            key.verbs = []
            if let i = index[key] {
                for v in r.verbs where !out[i].verbs.contains(v) { out[i].verbs.append(v) }
            } else {
                index[key] = out.count
                out.append(r)
            }
        }
        return out
    }

    /// `rbacv1helpers.CompactString`: `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`.
    var compactString: String {
        func q(_ list: [String]) -> String { "[" + list.map(GoQuote.quote).joined(separator: " ") + "]" }
        var parts: [String] = []
        if !apiGroups.isEmpty { parts.append("APIGroups:" + q(apiGroups)) }
        if !resources.isEmpty { parts.append("Resources:" + q(resources)) }
        if !nonResourceURLs.isEmpty { parts.append("NonResourceURLs:" + q(nonResourceURLs)) }
        if !resourceNames.isEmpty { parts.append("ResourceNames:" + q(resourceNames)) }
        if !verbs.isEmpty { parts.append("Verbs:" + q(verbs)) }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// Go's `%q` for the plain strings RBAC messages quote.
enum GoQuote {
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// `%q` of a `[]string`: `["a" "b"]`.
    static func list(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: " ") + "]" }
}

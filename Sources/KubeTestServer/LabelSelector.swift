import KubeAPI

/// A parsed `labelSelector` query parameter (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
///
/// Grammar and semantics follow `k8s.io/apimachinery/pkg/labels`: requirements are ANDed; `!=` and
/// `notin` also match objects without the label; `=`/`==`/`in` require it.
public struct LabelSelector: Sendable, Hashable {
    public enum Operator: Sendable, Hashable {
        case equals(String)
        case notEquals(String)
        case `in`(Set<String>)
        case notIn(Set<String>)
        case exists
        case doesNotExist
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var op: Operator
    }

    public var requirements: [Requirement]

    public static let everything = LabelSelector(requirements: [])

    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses the query-parameter syntax; throws a 400 with the offending text.
    public init(parsing text: String) throws(APIError) {
        var reqs: [Requirement] = []
        for part in LabelSelector.splitTopLevel(text) {
            let p = part.trimmingSpaces()
            if p.isEmpty { continue }
            reqs.append(try LabelSelector.parseRequirement(p))
        }
        self.requirements = reqs
    }

    public func matches(_ labels: [String: JSONValue]?) -> Bool {
        for r in requirements {
            let value = labels?[r.key]?.stringValue
            switch r.op {
            case .equals(let v): if value != v { return false }
            case .notEquals(let v): if value == v { return false }
            case .in(let set): guard let value, set.contains(value) else { return false }
            case .notIn(let set): if let value, set.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }

    /// Splits on commas that are not inside parentheses.
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    static func parseRequirement(_ p: String) throws(APIError) -> Requirement {
        func bad() -> APIError { .badRequest("unable to parse requirement: invalid label selector: \"\(p)\"") }
        if p.hasPrefix("!") {
            let key = String(p.dropFirst()).trimmingSpaces()
            guard isValidKey(key) else { throw bad() }
            return Requirement(key: key, op: .doesNotExist)
        }
        for (token, make) in [("!=", Operator.notEquals), ("==", Operator.equals), ("=", Operator.equals)] {
            if let r = p.range(of: token) {
                let key = String(p[..<r.lowerBound]).trimmingSpaces()
                let value = String(p[r.upperBound...]).trimmingSpaces()
                guard isValidKey(key), isValidValue(value) else { throw bad() }
                return Requirement(key: key, op: make(value))
            }
        }
        for (token, isIn) in [(" notin ", false), (" in ", true)] {
            if let r = p.range(of: token) {
                let key = String(p[..<r.lowerBound]).trimmingSpaces()
                var rest = String(p[r.upperBound...]).trimmingSpaces()
                guard isValidKey(key), rest.hasPrefix("("), rest.hasSuffix(")") else { throw bad() }
                rest = String(rest.dropFirst().dropLast())
                let values = Set(rest.split(separator: ",", omittingEmptySubsequences: false)
                    .map { String($0).trimmingSpaces() })
                guard values.allSatisfy(isValidValue) else { throw bad() }
                return Requirement(key: key, op: isIn ? .in(values) : .notIn(values))
            }
        }
        guard isValidKey(p) else { throw bad() }
        return Requirement(key: p, op: .exists)
    }

    static func isValidKey(_ key: String) -> Bool {
        guard !key.isEmpty, key.count <= 317 else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }
    }

    static func isValidValue(_ value: String) -> Bool {
        value.count <= 63 && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}

/// A parsed `fieldSelector` (`metadata.name=x,status.phase!=Running`): only `=`, `==` and `!=`.
public struct FieldSelector: Sendable, Hashable {
    public struct Requirement: Sendable, Hashable {
        public var field: String
        public var value: String
        public var negated: Bool
    }

    public var requirements: [Requirement]

    public static let everything = FieldSelector(requirements: [])

    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses and checks each field against `supported`; unknown fields are a 400 like the real server.
    public init(parsing text: String, supported: Set<String>) throws(APIError) {
        var reqs: [Requirement] = []
        for part in text.split(separator: ",") {
            let p = String(part).trimmingSpaces()
            if p.isEmpty { continue }
            var found: Requirement?
            for (token, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let r = p.range(of: token) {
                    found = Requirement(field: String(p[..<r.lowerBound]).trimmingSpaces(),
                                        value: String(p[r.upperBound...]).trimmingSpaces(), negated: negated)
                    break
                }
            }
            guard let req = found else { throw .badRequest("invalid selector: '\(p)'; can't understand '\(p)'") }
            guard supported.contains(req.field) else {
                throw .badRequest("field label not supported: \(req.field)")
            }
            reqs.append(req)
        }
        requirements = reqs
    }

    public func matches(_ object: JSONValue) -> Bool {
        for r in requirements {
            let path = r.field.split(separator: ".").map(String.init)
            let value: String
            switch object[path: path] {
            case .string(let s)?: value = s
            case .bool(let b)?: value = b ? "true" : "false"
            case .int(let i)?: value = String(i)
            default: value = ""
            }
            if (value == r.value) == r.negated { return false }
        }
        return true
    }

    /// The fields kube-apiserver supports for a resource (the subset we reproduce).
    static func supportedFields(for type: ResourceType) -> Set<String> {
        var fields: Set<String> = ["metadata.name"]
        if type.namespaced { fields.insert("metadata.namespace") }
        switch type.storageKey {
        case "pods": fields.formUnion(["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                                       "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"])
        case "namespaces": fields.insert("status.phase")
        case "secrets": fields.insert("type")
        case "events": fields.formUnion(["involvedObject.kind", "involvedObject.name", "involvedObject.namespace",
                                         "involvedObject.uid", "reason", "type", "source"])
        default: break
        }
        return fields
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

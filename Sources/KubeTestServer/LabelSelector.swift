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
        /// `key>n` / `key<n`: the label's value read as an integer.
        case greaterThan(Int64)
        case lessThan(Int64)
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

    /// Parses the query-parameter syntax (`LabelSelectorParser`); throws a 400 with the parser's text.
    public init(parsing text: String) throws(APIError) {
        switch LabelSelectorParser.parse(text) {
        case .success(let requirements): self.requirements = requirements
        case .failure(let e): throw .badRequest(e.message)
        }
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
            case .greaterThan(let n): guard let v = value.flatMap({ Int64($0) }), v > n else { return false }
            case .lessThan(let n): guard let v = value.flatMap({ Int64($0) }), v < n else { return false }
            }
        }
        return true
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

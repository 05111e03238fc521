/// Identifies an API resource: enough to build its REST paths with no per-kind client code.
///
/// Paths follow the Kubernetes API conventions:
/// core group  `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]`,
/// named group `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]`.
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// API group; `""` for the core group.
    public var group: String
    public var version: String
    /// The lower-case plural resource name used in paths (`namespaces`, `agentruns`).
    public var plural: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `group/version` otherwise.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `plural` or `plural.group`, as kubectl and RBAC spell it.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The collection path; `namespace == nil` for a namespaced resource lists across all namespaces.
    public func collectionPath(namespace: String?) -> String {
        let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let ns = namespace {
            return "\(base)/namespaces/\(ns)/\(plural)"
        }
        return "\(base)/\(plural)"
    }

    /// The path of one object, optionally of one of its subresources (`status`).
    public func objectPath(namespace: String?, name: String, subresource: String? = nil) -> String {
        var p = "\(collectionPath(namespace: namespace))/\(name)"
        if let s = subresource { p += "/\(s)" }
        return p
    }
}

/// A value type that models one Kubernetes kind.
public protocol KubeResource: Codable, Sendable {
    /// Where objects of this kind live in the API.
    static var resource: ResourceDescriptor { get }
    var metadata: ObjectMeta { get set }
    /// The object's JSON text written without Codable, or nil: then a client encodes it through
    /// its `Encodable` conformance. `JSONWritableResource` implements it (a protocol requirement,
    /// so a client's generic write finds the writer without a dynamic cast); other kinds keep the
    /// default nil and should not implement it otherwise.
    func handWrittenJSON() -> [UInt8]?
}

extension KubeResource {
    public func handWrittenJSON() -> [UInt8]? { nil }
}

import Foundation
import KubeAPI
import KubeClient

/// RBAC and authentication helpers of the conformance suite (in memory and on a real cluster).
extension ConformanceTarget {
    static let rbac = "rbac.authorization.k8s.io"
    static let roles = ResourceDescriptor(group: rbac, version: "v1", plural: "roles", kind: "Role", namespaced: true)
    static let roleBindings = ResourceDescriptor(group: rbac, version: "v1", plural: "rolebindings", kind: "RoleBinding", namespaced: true)
    static let serviceAccounts = ResourceDescriptor(group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true)
    static let secrets = ResourceDescriptor(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    static let clusterRoles = ResourceDescriptor(group: rbac, version: "v1", plural: "clusterroles", kind: "ClusterRole", namespaced: false)
    static let clusterRoleBindings = ResourceDescriptor(group: rbac, version: "v1", plural: "clusterrolebindings",
                                                        kind: "ClusterRoleBinding", namespaced: false)
    static let subjectAccessReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews",
                                                         kind: "SubjectAccessReview", namespaced: false)
    static let selfSubjectAccessReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1",
                                                             plural: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview",
                                                             namespaced: false)
    static let selfSubjectRulesReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectrulesreviews",
                                                            kind: "SelfSubjectRulesReview", namespaced: false)
    static let localSubjectAccessReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1",
                                                              plural: "localsubjectaccessreviews", kind: "LocalSubjectAccessReview",
                                                              namespaced: true)
    static let selfSubjectReviews = ResourceDescriptor(group: "authentication.k8s.io", version: "v1", plural: "selfsubjectreviews",
                                                       kind: "SelfSubjectReview", namespaced: false)

    static func role(_ kind: String, _ name: String, namespace: String? = nil, rules: [JSONValue], labels: [String: String] = [:]) -> JSONValue {
        var meta: JSONValue = ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))]
        if let namespace { meta["namespace"] = .string(namespace) }
        return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(kind), "metadata": meta, "rules": .array(rules)]
    }

    static func binding(_ kind: String, _ name: String, namespace: String? = nil, roleKind: String, role: String,
                        subjects: [JSONValue]) -> JSONValue {
        var meta: JSONValue = ["name": .string(name)]
        if let namespace { meta["namespace"] = .string(namespace) }
        return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(kind), "metadata": meta,
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(roleKind), "name": .string(role)],
                "subjects": .array(subjects)]
    }

    static func user(_ name: String) -> JSONValue { ["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": .string(name)] }

    static func serviceAccount(_ name: String, _ namespace: String) -> JSONValue {
        ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]
    }

    /// A SubjectAccessReview's status.
    func sar(user: String, groups: [String] = [], resource: JSONValue? = nil, nonResource: JSONValue? = nil) async throws -> JSONValue {
        var spec: JSONValue = ["user": .string(user), "groups": .array(groups.map(JSONValue.string))]
        if let resource { spec["resourceAttributes"] = resource }
        if let nonResource { spec["nonResourceAttributes"] = nonResource }
        let r = try await client.review(Self.subjectAccessReviews,
                                        ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec])
        return r["status"] ?? .null
    }

    /// Polls `body` until it returns true (RBAC caches on a real cluster lag behind writes).
    static func eventually(_ what: String, timeout: Double = 30, _ body: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try await body() { return }
            if Date() > deadline { throw Timeout(what: what) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    /// A bearer token for ServiceAccount `name` (TokenRequest), and a client that uses it.
    func clientAs(serviceAccount name: String) async throws -> (token: String, client: KubeClient) {
        // The TokenRequest subresource path, spelled as a collection under the ServiceAccount.
        let tokens = ResourceDescriptor(group: "", version: "v1", plural: "serviceaccounts/\(name)/token", kind: "TokenRequest",
                                        namespaced: true)
        let r = try await client.create(tokens, namespace: namespace,
                                        ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]])
        let token = r[path: ["status", "token"]]?.stringValue ?? ""
        var config = client.config
        config.credentials = .token(token)
        return (token, KubeClient(config: config, retryPolicy: .none))
    }

    /// A client of the same server with other credentials.
    func client(credentials: Credentials) -> KubeClient {
        var config = client.config
        config.credentials = credentials
        return KubeClient(config: config, retryPolicy: .none)
    }
}

import KubeAPI
import KubeClient
import Runs

/// One permission the operator needs, checked with a SelfSubjectAccessReview.
public struct RequiredPermission: Sendable, Hashable, CustomStringConvertible {
    public var verb: String
    public var group: String
    public var resource: String
    public var subresource: String?
    /// nil: in every namespace (or cluster-scoped).
    public var namespace: String?
    public var name: String?

    public init(_ verb: String, _ group: String, _ resource: String, subresource: String? = nil,
                namespace: String? = nil, name: String? = nil) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// `create jobs.batch (all namespaces)`, `bind clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-full-env`.
    public var description: String {
        var r = group.isEmpty ? resource : "\(resource).\(group)"
        if let subresource { r += "/\(subresource)" }
        if let name { r += "/\(name)" }
        return "\(verb) \(r) \(namespace.map { "in namespace \($0)" } ?? "(all namespaces)")"
    }
}

/// Why the operator refuses to start.
public struct SelfCheckFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [String]
    public var description: String {
        "refusing to start: " + problems.joined(separator: "; ")
    }
}

/// The start-up self-check of SPEC §7.
///
/// Contract: `run` throws `SelfCheckFailure` listing every problem: an agent ClusterRole that is
/// missing or grants anything §7 forbids (naming the role and rule, `ClusterRolePolicy`), and
/// every permission of `requiredPermissions` a SelfSubjectAccessReview denies (naming it).
public enum StartupSelfCheck {
    /// What the operator does, as the permissions it needs (what `deploy/operator-rbac.yaml` grants).
    public static func requiredPermissions(controlNamespace ns: String) -> [RequiredPermission] {
        var out: [RequiredPermission] = []
        let g = "codex-k8s.dev"
        for v in ["get", "list", "watch", "patch", "update", "delete"] { out.append(.init(v, g, "agentruns", namespace: ns)) }
        out.append(.init("update", g, "agentruns", subresource: "status", namespace: ns))
        for v in ["get", "list", "watch", "create", "update", "delete"] { out.append(.init(v, g, "runnamespaces")) }
        out.append(.init("update", g, "runnamespaces", subresource: "status"))
        for v in ["get", "list", "watch", "create", "patch", "delete"] { out.append(.init(v, "", "namespaces")) }
        for r in ["serviceaccounts", "resourcequotas", "limitranges"] {
            for v in ["get", "create"] { out.append(.init(v, "", r)) }
        }
        for v in ["get", "create"] {
            out.append(.init(v, "rbac.authorization.k8s.io", "rolebindings"))
            out.append(.init(v, "networking.k8s.io", "networkpolicies"))
        }
        for role in AgentClusterRoles.all {
            out.append(.init("bind", "rbac.authorization.k8s.io", "clusterroles", name: role))
            out.append(.init("get", "rbac.authorization.k8s.io", "clusterroles", name: role))
        }
        out.append(.init("create", "", "secrets"))
        for v in ["get", "list", "watch"] { out.append(.init(v, "", "secrets", namespace: ns)) }
        for v in ["get", "list", "watch", "create", "delete"] { out.append(.init(v, "batch", "jobs")) }
        for v in ["get", "list", "watch"] { out.append(.init(v, "", "pods")) }
        out.append(.init("create", "events.k8s.io", "events", namespace: ns))
        out.append(.init("patch", "events.k8s.io", "events", namespace: ns))
        for v in ["get", "create", "update"] { out.append(.init(v, "coordination.k8s.io", "leases", namespace: ns)) }
        return out
    }

    /// Reads both agent ClusterRoles and returns what §7 forbids in them (a missing role is a problem too).
    public static func agentRoleProblems(client: KubeClient) async throws -> [String] {
        var problems: [String] = []
        for name in AgentClusterRoles.all {
            let role: ClusterRole
            do {
                role = try await client.get(ClusterRole.self, name: name)
            } catch {
                if error.isNotFound {
                    problems.append("ClusterRole \(name) does not exist (install CRDs/agent-clusterroles.yaml)")
                } else if error.code == 403 {
                    problems.append("cannot read ClusterRole \(name) to check it: \(error)")
                } else {
                    throw error
                }
                continue
            }
            problems += ClusterRolePolicy.violations(role).map(\.description)
        }
        return problems
    }

    /// The permissions a SelfSubjectAccessReview denies to the operator's own identity.
    public static func missingPermissions(client: KubeClient, controlNamespace: String) async throws -> [RequiredPermission] {
        var missing: [RequiredPermission] = []
        for p in requiredPermissions(controlNamespace: controlNamespace) {
            let review = SelfSubjectAccessReview(spec: SubjectAccessReviewSpec(resourceAttributes: ResourceAttributes(
                namespace: p.namespace, verb: p.verb, group: p.group, resource: p.resource, subresource: p.subresource,
                name: p.name)))
            let answer = try await client.create(review)
            if answer.status?.allowed != true { missing.append(p) }
        }
        return missing
    }

    /// Runs both checks; throws `SelfCheckFailure` naming every problem.
    public static func run(client: KubeClient, controlNamespace: String) async throws {
        var problems = try await agentRoleProblems(client: client)
        problems += try await missingPermissions(client: client, controlNamespace: controlNamespace)
            .map { "the operator may not \($0)" }
        if !problems.isEmpty { throw SelfCheckFailure(problems: problems) }
    }
}

import KubeAPI

/// One way a ClusterRole breaks SPEC §7, naming the rule (`rules[2]`) and what it grants.
public struct ClusterRoleViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case wildcard
        case secrets
        case rbac
        case serviceAccountToken
        case networkPolicies
        case resourceQuotas
        case privilegedVerb
        case aggregation
    }

    public var role: String
    /// `rules[i]`, or `aggregationRule`.
    public var field: String
    public var kind: Kind
    public var message: String

    public var description: String { "ClusterRole \(role): \(field): \(message)" }
}

/// The §7 policy for the agent ClusterRoles, as a pure check the operator runs at start-up.
///
/// Contract: `violations` lists every rule that grants any of: a verb on `secrets` (or a
/// subresource of it); `*` in apiGroups, resources or verbs; anything in
/// `rbac.authorization.k8s.io`; `serviceaccounts/token`; `networkpolicies`; `resourcequotas`;
/// the verbs `escalate`, `bind`, `impersonate`. An `aggregationRule` is a violation too (its rules
/// are chosen by other ClusterRoles' labels, so they cannot be checked here). Empty means compliant.
public enum ClusterRolePolicy {
    static let forbiddenVerbs: Set<String> = ["escalate", "bind", "impersonate"]

    public static func violations(_ role: ClusterRole) -> [ClusterRoleViolation] {
        let name = role.metadata.name ?? "?"
        var out: [ClusterRoleViolation] = []
        func add(_ field: String, _ kind: ClusterRoleViolation.Kind, _ message: String) {
            out.append(ClusterRoleViolation(role: name, field: field, kind: kind, message: message))
        }
        if let aggregation = role.aggregationRule, aggregation != .null {
            add("aggregationRule", .aggregation, "aggregated rules cannot be checked; list the rules explicitly")
        }
        for (i, rule) in (role.rules ?? []).enumerated() {
            let field = "rules[\(i)]"
            let groups = rule.apiGroups ?? []
            let resources = rule.resources ?? []
            if groups.contains("*") { add(field, .wildcard, "\"*\" in apiGroups") }
            if resources.contains(where: { $0 == "*" || $0.hasPrefix("*/") || $0.hasSuffix("/*") }) {
                add(field, .wildcard, "\"*\" in resources")
            }
            if rule.verbs.contains("*") { add(field, .wildcard, "\"*\" in verbs") }
            if groups.contains("rbac.authorization.k8s.io") { add(field, .rbac, "grants \(verbs(rule)) on RBAC objects") }
            for resource in resources {
                let base = resource.split(separator: "/").first.map(String.init) ?? resource
                let core = groups.contains("")
                if base == "secrets" && core { add(field, .secrets, "grants \(verbs(rule)) on \(resource)") }
                if resource == "serviceaccounts/token" && core { add(field, .serviceAccountToken, "grants \(verbs(rule)) on serviceaccounts/token") }
                if base == "networkpolicies" { add(field, .networkPolicies, "grants \(verbs(rule)) on \(resource)") }
                if base == "resourcequotas" && core { add(field, .resourceQuotas, "grants \(verbs(rule)) on \(resource)") }
            }
            for verb in rule.verbs where forbiddenVerbs.contains(verb) {
                add(field, .privilegedVerb, "grants the verb \(verb)")
            }
        }
        return out
    }

    private static func verbs(_ rule: PolicyRule) -> String {
        rule.verbs.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}

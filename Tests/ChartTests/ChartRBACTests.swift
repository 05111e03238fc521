import Foundation
import KubeAPI
import Testing
import YAML

/// The RBAC the chart renders is least privilege (SPEC §7) and the operator's part is the same as
/// `deploy/operator-rbac.yaml`.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartRBACTests {
    static let agentRoles: Set<String> = ["codex-k8s-agent-full-env", "codex-k8s-agent-code-only"]

    static func rules(_ role: JSONValue) -> [JSONValue] { role["rules"]?.arrayValue ?? [] }
    static func strings(_ v: JSONValue?) -> [String] { v?.arrayValue?.compactMap(\.stringValue) ?? [] }

    @Test func leastPrivilege() async throws {
        let objects = try await Helm.template(["webhook.enabled=true"])
        let roles = objects.of("ClusterRole") + objects.of("Role")
        #expect(roles.count == 5)  // operator ClusterRole + Role, the two agent ClusterRoles, webhook Role
        for role in roles {
            let name = role[path: ["metadata", "name"]]?.stringValue ?? "?"
            for rule in Self.rules(role) {
                let verbs = Self.strings(rule["verbs"]), resources = Self.strings(rule["resources"])
                let groups = Self.strings(rule["apiGroups"])
                #expect(!(verbs + resources + groups).contains("*"), "\(name): \(rule)")
                #expect(!verbs.contains("escalate") && !verbs.contains("impersonate"), "\(name): \(rule)")
                // `bind` only on exactly the two agent ClusterRoles, by name.
                if verbs.contains("bind") {
                    #expect(name == "codex-k8s-operator" && role["kind"] == "ClusterRole")
                    #expect(resources == ["clusterroles"] && groups == ["rbac.authorization.k8s.io"])
                    #expect(Set(Self.strings(rule["resourceNames"])) == Self.agentRoles)
                }
                // Secrets: readable only through the operator's Role in the release namespace.
                if resources.contains("secrets") {
                    let reads = !Set(verbs).isDisjoint(with: ["get", "list", "watch"])
                    if role["kind"] == "ClusterRole" {
                        #expect(verbs == ["create"], "\(name): cluster-wide Secrets allow only the credentials copy")
                    } else {
                        #expect(name == "codex-k8s-operator" && role[path: ["metadata", "namespace"]] == "codex-system")
                    }
                    #expect(!reads || role["kind"] == "Role", "\(name): \(rule)")
                }
            }
        }
        // The agent roles are bound by the operator at run time, never by the chart.
        let bindings = objects.of("ClusterRoleBinding") + objects.of("RoleBinding")
        #expect(!bindings.contains { Self.agentRoles.contains($0[path: ["roleRef", "name"]]?.stringValue ?? "") })
        #expect(bindings.allSatisfy { ($0["subjects"]?.arrayValue ?? []).allSatisfy { $0["kind"] == "ServiceAccount" } })
    }

    /// The operator's ClusterRole and Role carry exactly the rules of deploy/operator-rbac.yaml.
    @Test func operatorRulesMatchDeployManifest() async throws {
        let objects = try await Helm.template()
        let text = try String(contentsOf: Helm.repository.appendingPathComponent("deploy/operator-rbac.yaml"), encoding: .utf8)
        let manifest = try YAMLNode.parseDocuments(Array(text.utf8)).map { try $0.jsonValue() }
        for kind in ["ClusterRole", "Role"] {
            let rendered = try #require(objects.object(kind, "codex-k8s-operator"))
            let expected = try #require(manifest.object(kind, "codex-k8s-operator"))
            #expect(Self.rules(rendered) == Self.rules(expected), "\(kind)")
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Testing
import YAML

/// SPEC §7: the agent can do nothing with Secrets; the self-check refuses forbidden agent roles
/// and names missing operator permissions; `deploy/operator-rbac.yaml` grants exactly what it needs.
@Suite(.serialized) struct SecurityTests {
    static var inMemory: Bool { (ProcessInfo.processInfo.environment["CODEX_K8S_TEST_KUBECONFIG"] ?? "").isEmpty }

    @Test func theAgentServiceAccountIsDeniedEveryVerbOnSecrets() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            try await h.createRun("sec-full")
            _ = try await h.client.create(AgentRun(metadata: ObjectMeta(name: "sec-code", namespace: h.config.controlNamespace),
                                               spec: AgentRunSpec(repository: "acme/shop", issue: 9, stage: .dev, mode: .codeOnly)))
            for name in ["sec-full", "sec-code"] {
                let run = try await h.waitForRun(name, "Job exists") { $0.status?.phase == .provisioning }
                _ = try await h.pod(of: run)
                let ns = try #require(run.status?.namespace)
                let user = "system:serviceaccount:\(ns):codex-agent"
                let groups = ["system:serviceaccounts", "system:serviceaccounts:\(ns)", "system:authenticated"]
                for verb in ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] {
                    for namespace in [ns, h.config.controlNamespace] {
                        let review = try await h.client.create(SubjectAccessReview(spec: SubjectAccessReviewSpec(
                            resourceAttributes: ResourceAttributes(namespace: namespace, verb: verb, resource: "secrets"),
                            user: user, groups: groups)))
                        #expect(review.status?.allowed == false, "\(user) may \(verb) secrets in \(namespace)")
                    }
                }
                // The binding is real: the agent may read pods of its namespace.
                let pods = try await h.client.create(SubjectAccessReview(spec: SubjectAccessReviewSpec(
                    resourceAttributes: ResourceAttributes(namespace: ns, verb: "list", resource: "pods"), user: user, groups: groups)))
                #expect(pods.status?.allowed == true)
            }
            await op.stop()
        }
    }

    static let forbidden: [(rule: PolicyRule, expected: String)] = [
        (PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"]), "grants \"get\" on secrets"),
        (PolicyRule(apiGroups: ["*"], resources: ["pods"], verbs: ["get"]), "\"*\" in apiGroups"),
        (PolicyRule(apiGroups: [""], resources: ["*"], verbs: ["get"]), "\"*\" in resources"),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["*"]), "\"*\" in verbs"),
        (PolicyRule(apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["get"]), "on RBAC objects"),
        (PolicyRule(apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"]), "on serviceaccounts/token"),
        (PolicyRule(apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get"]), "on networkpolicies"),
        (PolicyRule(apiGroups: [""], resources: ["resourcequotas"], verbs: ["list"]), "on resourcequotas"),
        (PolicyRule(apiGroups: [""], resources: ["users"], verbs: ["impersonate"]), "the verb impersonate"),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["escalate"]), "the verb escalate"),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["bind"]), "the verb bind"),
    ]

    /// Changes the cluster's agent roles: in memory only.
    @Test(.enabled(if: inMemory)) func theSelfCheckRefusesEachForbiddenRuleNamingIt() async throws {
        try await OperatorHarness.with { h in
            #expect(try await StartupSelfCheck.agentRoleProblems(client: h.client) == [])
            for role in AgentClusterRoles.all {
                let original = try await h.client.get(ClusterRole.self, name: role)
                for (rule, expected) in Self.forbidden {
                    var bad = original
                    bad.metadata.resourceVersion = nil
                    bad.rules = (bad.rules ?? []) + [rule]
                    _ = try await h.client.replace(bad)
                    let problems = try await StartupSelfCheck.agentRoleProblems(client: h.client)
                    let index = bad.rules!.count - 1
                    #expect(problems.contains { $0.hasPrefix("ClusterRole \(role): rules[\(index)]: ") && $0.contains(expected) },
                            "\(problems)")
                    let error = await #expect(throws: SelfCheckFailure.self) {
                        try await StartupSelfCheck.run(client: h.client, controlNamespace: h.config.controlNamespace)
                    }
                    #expect(error?.description.contains("rules[\(index)]") == true)
                }
                var restored = try await h.client.get(ClusterRole.self, name: role)
                restored.rules = original.rules
                _ = try await h.client.replace(restored)
            }
            try await h.client.delete(ClusterRole.self, name: AgentClusterRoles.codeOnly)
            #expect(try await StartupSelfCheck.agentRoleProblems(client: h.client)
                == ["ClusterRole codex-k8s-agent-code-only does not exist (install CRDs/agent-clusterroles.yaml)"])
        }
    }

    /// Installs `deploy/operator-rbac.yaml` for the test's control namespace and checks, as that
    /// ServiceAccount, that the self-check finds nothing missing — then that dropping the `bind`
    /// rule makes it name exactly the two binds. Needs RBAC enforcement (in memory, or a real cluster).
    @Test(.enabled(if: inMemory)) func theManifestGrantsWhatTheSelfCheckNeedsAndMissingPermissionsAreNamed() async throws {
        try await OperatorHarness.with { h in
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("deploy/operator-rbac.yaml").path
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "namespace: codex-system", with: "namespace: \(h.config.controlNamespace)")
                .replacingOccurrences(of: "name: codex-k8s-operator", with: "name: codex-k8s-operator-\(h.suffix)")
            for doc in try YAMLNode.parseDocuments(Array(text.utf8)) {
                let object = try doc.jsonValue()
                let kind = object["kind"]!.stringValue!
                let plural = ["ServiceAccount": "serviceaccounts", "ClusterRole": "clusterroles", "ClusterRoleBinding": "clusterrolebindings",
                              "Role": "roles", "RoleBinding": "rolebindings"][kind]!
                let group = kind == "ServiceAccount" ? "" : "rbac.authorization.k8s.io"
                let namespaced = kind == "ServiceAccount" || kind == "Role" || kind == "RoleBinding"
                _ = try await h.client.create(ResourceDescriptor(group: group, version: "v1", plural: plural, kind: kind, namespaced: namespaced),
                                              namespace: namespaced ? h.config.controlNamespace : nil, object)
            }
            let tokens = ResourceDescriptor(group: "", version: "v1", plural: "serviceaccounts/codex-k8s-operator-\(h.suffix)/token",
                                            kind: "TokenRequest", namespaced: true)
            let answer = try await h.client.create(tokens, namespace: h.config.controlNamespace,
                                                   ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]])
            var config = h.client.config
            config.credentials = .token(answer[path: ["status", "token"]]?.stringValue ?? "")
            let operatorClient = KubeClient(config: config, retryPolicy: .none)
            #expect(try await StartupSelfCheck.missingPermissions(client: operatorClient, controlNamespace: h.config.controlNamespace) == [])
            try await StartupSelfCheck.run(client: operatorClient, controlNamespace: h.config.controlNamespace)

            var role = try await h.client.get(ClusterRole.self, name: "codex-k8s-operator-\(h.suffix)")
            role.rules = role.rules?.filter { !$0.verbs.contains("bind") }
            _ = try await h.client.replace(role)
            let missing = try await StartupSelfCheck.missingPermissions(client: operatorClient, controlNamespace: h.config.controlNamespace)
            #expect(missing.map(\.description) == [
                "bind clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-full-env (all namespaces)",
                "get clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-full-env (all namespaces)",
                "bind clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-code-only (all namespaces)",
                "get clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-code-only (all namespaces)",
            ])
            let error = await #expect(throws: SelfCheckFailure.self) {
                try await StartupSelfCheck.run(client: operatorClient, controlNamespace: h.config.controlNamespace)
            }
            #expect(error?.description.contains("the operator may not bind clusterroles.rbac.authorization.k8s.io/codex-k8s-agent-full-env") == true)
            _ = try? await h.client.delete(ClusterRole.self, name: "codex-k8s-operator-\(h.suffix)")
            _ = try? await h.client.delete(ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings",
                                                              kind: "ClusterRoleBinding", namespaced: false),
                                           name: "codex-k8s-operator-\(h.suffix)")
        }
    }
}

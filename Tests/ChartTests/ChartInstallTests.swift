import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// `helm install` of charts/codex-k8s into KubeTestServer over HTTPS succeeds and creates the
/// chart's objects: CRDs established, agent ClusterRoles, RBAC, both Deployments and PDBs.
/// Needs the apps/v1 Deployment and policy/v1 PodDisruptionBudget APIs in KubeTestServer; until
/// they are served the suite is disabled with that note.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"),
       .enabled(if: WorkloadAPIs.served, "KubeTestServer serves no apps/v1 deployments or policy/v1 poddisruptionbudgets yet"))
struct ChartInstallTests {
    @Test func installsIntoTestServer() async throws {
        let server = try await KubeTestServer.start(tls: try .selfSigned())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chart-install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = try server.writeKubeconfig(to: dir.appendingPathComponent("kubeconfig").path)
        let install = try await Helm.run(["install", "codex", Helm.chart, "--kubeconfig", kubeconfig,
                                          "--namespace", "codex-system", "--create-namespace"])
        #expect(install.status == 0, "\(install.out)\(install.err)")
        func get(_ group: String, _ plural: String, _ namespace: String?, _ name: String) -> JSONValue? {
            guard let type = server.store.resourceType(group: group, version: "v1", plural: plural) else { return nil }
            return try? server.store.get(type, namespace: namespace, name: name)
        }
        #expect(get("apiextensions.k8s.io", "customresourcedefinitions", nil, "agentruns.codex-k8s.dev") != nil)
        #expect(get("apiextensions.k8s.io", "customresourcedefinitions", nil, "runnamespaces.codex-k8s.dev") != nil)
        for role in ["codex-k8s-agent-full-env", "codex-k8s-agent-code-only", "codex-k8s-operator"] {
            #expect(get("rbac.authorization.k8s.io", "clusterroles", nil, role) != nil, "\(role)")
        }
        #expect(get("apps", "deployments", "codex-system", "codex-k8s-operator")?[path: ["spec", "replicas"]] == 2)
        #expect(get("apps", "deployments", "codex-system", "codex-k8s-webhook") != nil)
        #expect(get("policy", "poddisruptionbudgets", "codex-system", "codex-k8s-operator") != nil)
        #expect(get("", "configmaps", "codex-system", "codex-k8s-config") != nil)
        let status = try await Helm.run(["status", "codex", "--kubeconfig", kubeconfig, "--namespace", "codex-system"])
        #expect(status.out.contains("STATUS: deployed"), "\(status.out)\(status.err)")
        try await server.stop()
    }
}

/// Whether KubeTestServer serves the workload APIs the chart installs.
enum WorkloadAPIs {
    static let served: Bool = {
        let store = Store()
        return store.resourceType(group: "apps", version: "v1", plural: "deployments") != nil
            && store.resourceType(group: "policy", version: "v1", plural: "poddisruptionbudgets") != nil
    }()
}

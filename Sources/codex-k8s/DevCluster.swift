import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import YAML

/// The playground's cluster (`codex-k8s dev`): an in-memory KubeTestServer on 127.0.0.1 prepared
/// like a cluster after `helm install` — the CRDs and agent ClusterRoles of `CRDs/`, the control
/// namespace and a placeholder `codex-agent-credentials` Secret (no real keys: the fake kubelet
/// runs no containers). The admin kubeconfig is written to `<dir>/kubeconfig`, its context
/// namespace the control namespace (so `kubectl get agentruns` needs no `-n`).
struct DevCluster {
    let server: KubeTestServer
    let client: KubeClient
    let kubeconfigPath: String

    static let crdResource = ResourceDescriptor(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                                                kind: "CustomResourceDefinition", namespaced: false)

    /// Starts the server on `port` (0: any free port) and installs everything the operator needs.
    static func start(port: Int, directory: String, controlNamespace: String) async throws -> DevCluster {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = try await KubeTestServer.start(port: port)
        do {
            let path = try server.writeKubeconfig(to: URL(fileURLWithPath: directory).appendingPathComponent("kubeconfig").path,
                                             namespace: controlNamespace)
            let client = try KubeClient.load(kubeconfigPath: path)
            let manifests = EmbeddedManifests.crds + "---\n" + EmbeddedManifests.agentClusterRoles
            for doc in try YAMLNode.parseDocuments(Array(manifests.utf8)) {
                let object = try doc.jsonValue()
                let resource = object["kind"]?.stringValue == "ClusterRole" ? ClusterRole.resource : crdResource
                _ = try await client.create(resource, object)
            }
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: controlNamespace)))
            // Placeholders: the fake kubelet never starts the agent, so no key is ever used.
            _ = try await client.create(Secret(metadata: ObjectMeta(name: "codex-agent-credentials", namespace: controlNamespace),
                                               type: "Opaque",
                                               data: ["openai-api-key": Data("sk-dev-placeholder".utf8).base64EncodedString(),
                                                      "github-token": Data("ghp_dev_placeholder".utf8).base64EncodedString()]))
            return DevCluster(server: server, client: client, kubeconfigPath: path)
        } catch {
            try? await server.stop()
            throw error
        }
    }
}

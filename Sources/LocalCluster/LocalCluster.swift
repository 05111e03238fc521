import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import YAML

/// An in-memory cluster prepared like one after `helm install`: a KubeTestServer on 127.0.0.1 with
/// the CRDs and agent ClusterRoles of `CRDs/` (the copies embedded in `Runs`), the control
/// namespace and a placeholder `codex-agent-credentials` Secret (no real keys). Shared by the
/// playground (`codex-k8s dev`) and the standalone `kube-test-server` process of the benchmarks.
public struct LocalCluster: Sendable {
    public let server: KubeTestServer
    /// An admin client (`system:masters`) over the written kubeconfig.
    public let client: KubeClient
    public let kubeconfigPath: String

    static let crdResource = ResourceDescriptor(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                                                kind: "CustomResourceDefinition", namespaced: false)

    /// Starts the server on `port` (0: any free port), writes the admin kubeconfig to
    /// `kubeconfigPath` (its context namespace `controlNamespace`) and, when `install` is true,
    /// installs everything the operator needs (`install(client:controlNamespace:)`). The server is
    /// stopped again if any step fails. `options` configure the server (defaults: `ServerOptions()`).
    public static func start(port: Int, kubeconfigPath: String, controlNamespace: String,
                             install: Bool = true, options: ServerOptions = ServerOptions()) async throws -> LocalCluster {
        let directory = URL(fileURLWithPath: kubeconfigPath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = try await KubeTestServer.start(options: options, port: port)
        do {
            let path = try server.writeKubeconfig(to: kubeconfigPath, namespace: controlNamespace)
            let client = try KubeClient.load(kubeconfigPath: path)
            if install { try await Self.install(client: client, controlNamespace: controlNamespace) }
            return LocalCluster(server: server, client: client, kubeconfigPath: path)
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Creates the CRDs and the two agent ClusterRoles, the control namespace and the placeholder
    /// credentials Secret through `client` (fails on AlreadyExists: meant for a fresh server).
    public static func install(client: KubeClient, controlNamespace: String) async throws {
        let manifests = EmbeddedManifests.crds + "---\n" + EmbeddedManifests.agentClusterRoles
        for doc in try YAMLNode.parseDocuments(Array(manifests.utf8)) {
            let object = try doc.jsonValue()
            let resource = object["kind"]?.stringValue == "ClusterRole" ? ClusterRole.resource : crdResource
            _ = try await client.create(resource, object)
        }
        _ = try await client.create(Namespace(metadata: ObjectMeta(name: controlNamespace)))
        // Placeholders: no container ever runs in the in-memory cluster, so no key is ever used.
        _ = try await client.create(Secret(metadata: ObjectMeta(name: "codex-agent-credentials", namespace: controlNamespace),
                                           type: "Opaque",
                                           data: ["openai-api-key": Data("sk-dev-placeholder".utf8).base64EncodedString(),
                                                  "github-token": Data("ghp_dev_placeholder".utf8).base64EncodedString()]))
    }
}

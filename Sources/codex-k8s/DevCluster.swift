import Foundation
import KubeClient
import KubeTestServer
import LocalCluster

/// The playground's cluster (`codex-k8s dev`): an in-memory KubeTestServer on 127.0.0.1 prepared
/// like a cluster after `helm install` (`LocalCluster`: the CRDs and agent ClusterRoles of `CRDs/`,
/// the control namespace and a placeholder `codex-agent-credentials` Secret). The admin kubeconfig
/// is written to `<dir>/kubeconfig`, its context namespace the control namespace (so
/// `kubectl get agentruns` needs no `-n`).
struct DevCluster {
    let server: KubeTestServer
    let client: KubeClient
    let kubeconfigPath: String

    /// Starts the server on `port` (0: any free port) and installs everything the operator needs.
    static func start(port: Int, directory: String, controlNamespace: String) async throws -> DevCluster {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("kubeconfig").path
        let cluster = try await LocalCluster.start(port: port, kubeconfigPath: path, controlNamespace: controlNamespace)
        return DevCluster(server: cluster.server, client: cluster.client, kubeconfigPath: cluster.kubeconfigPath)
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeTestServer

/// Where an integration test talks to Kubernetes: a fresh `KubeTestServer`, or — when
/// `CODEX_K8S_TEST_KUBECONFIG` names a kubeconfig — that real cluster. Either way the test gets an
/// admin `KubeClient` loaded from a kubeconfig file (as the binary and kubectl would load it).
/// `stop()` stops the in-memory server; what a test created on a real cluster is the test's to delete.
/// Shared by the integration harnesses (ConformanceTarget, CRDTarget, OperatorHarness); no product module here.
public struct TestCluster: Sendable {
    public let client: KubeClient
    /// The in-memory server; nil on a real cluster.
    public let server: KubeTestServer?
    public let kubeconfigPath: String

    /// The real cluster's kubeconfig, when `CODEX_K8S_TEST_KUBECONFIG` names one.
    public static var realKubeconfig: String? {
        ProcessInfo.processInfo.environment["CODEX_K8S_TEST_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when tests run against a fresh KubeTestServer (no `CODEX_K8S_TEST_KUBECONFIG`).
    public static var inMemory: Bool { realKubeconfig == nil }

    /// Uses the real cluster, or starts a KubeTestServer (`options` and `tls` apply to it alone; with
    /// `tls` its URL is HTTPS, which kubectl needs to send a token) and writes its admin kubeconfig
    /// into `directory`.
    public static func start(directory: URL, options: ServerOptions = ServerOptions(),
                             tls: KubeTestServer.TLS? = nil) async throws -> TestCluster {
        if let real = realKubeconfig {
            return TestCluster(client: try KubeClient.load(kubeconfigPath: real), server: nil, kubeconfigPath: real)
        }
        let server = try await KubeTestServer.start(options: options, tls: tls)
        do {
            let path = try server.writeKubeconfig(to: directory.appendingPathComponent("kubeconfig").path)
            return TestCluster(client: try KubeClient.load(kubeconfigPath: path), server: server, kubeconfigPath: path)
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Stops the in-memory server (nothing on a real cluster).
    public func stop() async throws {
        try await server?.stop()
    }
}

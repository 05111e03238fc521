import ClusterSupport
import Foundation
import KubeAPI
import KubeClient
import Testing

/// `ClusterSupport`: the in-memory TestCluster serves through the kubeconfig it wrote and is gone
/// after `stop()`; `CRDInstall.createEstablished` returns with the CRD Established.
@Suite(.enabled(if: TestCluster.inMemory, "TestCluster starts a server only in memory"))
struct TestClusterTests {
    @Test func anInMemoryClusterServesThroughItsKubeconfigUntilStopped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("test-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try await TestCluster.start(directory: dir)
        #expect(cluster.server != nil)
        #expect(cluster.kubeconfigPath == dir.appendingPathComponent("kubeconfig").path)
        let fromFile = try KubeClient.load(kubeconfigPath: cluster.kubeconfigPath)
        #expect(try await fromFile.list(Namespace.self).items.contains { $0.metadata.name == "default" })

        var crd = JSONValue.object([:])
        crd.set(path: ["apiVersion"], to: "apiextensions.k8s.io/v1")
        crd.set(path: ["kind"], to: "CustomResourceDefinition")
        crd.set(path: ["metadata", "name"], to: "gizmos.example.com")
        crd.set(path: ["spec"], to: [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "gizmos", "singular": "gizmo", "kind": "Gizmo"],
            "versions": [["name": "v1", "served": true, "storage": true,
                          "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
        ])
        try await CRDInstall.createEstablished(crd, cluster.client)
        #expect(CRDInstall.isEstablished(try await cluster.client.get(CRDInstall.resource, name: "gizmos.example.com")))
        #expect(!CRDInstall.isEstablished(crd), "a CRD without status is not Established")

        try await cluster.stop()
        await #expect(throws: (any Error).self) { _ = try await fromFile.list(Namespace.self) }
    }
}

import ClusterSupport
import Foundation
import KubeAPI
import KubeClient
import KubeTestServer

/// Where the conformance suite runs: a fresh `KubeTestServer`, or — when
/// `CODEX_K8S_TEST_KUBECONFIG` names a kubeconfig — a real cluster. Tests talk to it only through
/// `KubeClient`; each gets its own namespace (and its own CRD group), removed by `close()`.
/// Tests that need the server's controls (faults, fake kubelet) are enabled only in memory.
struct ConformanceTarget {
    let client: KubeClient
    let server: KubeTestServer?
    let namespace: String
    let suffix: String
    let directory: URL

    static var inMemory: Bool { TestCluster.inMemory }

    static let configMaps = ResourceDescriptor(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)
    static let namespaces = ResourceDescriptor(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static let pods = ResourceDescriptor(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
    static let jobs = ResourceDescriptor(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true)
    static let crds = CRDInstall.resource

    static func start() async throws -> ConformanceTarget {
        let suffix = String(UUID().uuidString.lowercased().prefix(8))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conf-\(suffix)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cluster = try await TestCluster.start(directory: dir)
        let ns = "conf-\(suffix)"
        _ = try await cluster.client.create(namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        return ConformanceTarget(client: cluster.client, server: cluster.server, namespace: ns, suffix: suffix, directory: dir)
    }

    func close() async throws {
        _ = try? await client.delete(Self.namespaces, name: namespace)
        if let crd = try? await client.list(Self.crds, options: ListOptions(labelSelector: "conformance=\(suffix)")) {
            for item in crd["items"]?.arrayValue ?? [] {
                if let name = item[path: ["metadata", "name"]]?.stringValue { _ = try? await client.delete(Self.crds, name: name) }
            }
        }
        try await server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Installs a namespaced `Gadget` CRD in a group unique to this test and waits until it is
    /// Established (immediate in memory; a watch on a real cluster).
    func installGadgetCRD() async throws -> ResourceDescriptor {
        let group = "t\(suffix).conformance.codex-k8s.dev"
        var crd = TestCRDs.widget
        crd.set(path: ["metadata", "name"], to: .string("gadgets.\(group)"))
        crd.set(path: ["metadata", "labels"], to: ["conformance": .string(suffix)])
        crd.set(path: ["spec", "group"], to: .string(group))
        crd.set(path: ["spec", "names"], to: ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "shortNames": .array([.string("gd\(suffix)")])])
        try await CRDInstall.createEstablished(crd, client)
        return ResourceDescriptor(group: group, version: "v1", plural: "gadgets", kind: "Gadget", namespaced: true)
    }

    static func established(_ crd: JSONValue) -> Bool { CRDInstall.isEstablished(crd) }

    func gadget(_ r: ResourceDescriptor, _ name: String, spec: JSONValue = ["size": 3]) -> JSONValue {
        ["apiVersion": .string(r.apiVersion), "kind": "Gadget", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": spec]
    }

    func configMap(_ name: String, labels: [String: String] = [:], data: JSONValue = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap",
         "metadata": ["name": .string(name), "namespace": .string(namespace),
                      "labels": .object(labels.mapValues(JSONValue.string))],
         "data": data]
    }

    static func rv(_ o: JSONValue) -> Int64 { Int64(o[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? -1 }

    /// The error a call throws, for `#expect` on `KubeError` cases.
    static func error(_ body: () async throws -> Void) async -> KubeError? {
        do {
            try await body()
            return nil
        } catch let e as KubeError {
            return e
        } catch {
            return nil
        }
    }
}

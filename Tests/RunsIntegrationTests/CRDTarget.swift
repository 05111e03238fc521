import ClusterSupport
import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import YAML

/// Where the CRD tests run: a fresh KubeTestServer, or — when `CODEX_K8S_TEST_KUBECONFIG` names a
/// kubeconfig — a real cluster. The CRDs of `CRDs/` are installed unchanged except for their
/// group (`t<suffix>.codex-k8s.dev`) and short names, so tests never collide with each other or
/// with an installed codex-k8s; `close()` deletes the CRDs (and with them every CR) and the namespace.
struct CRDTarget {
    let client: KubeClient
    let server: KubeTestServer?
    let namespace: String
    let suffix: String
    let agentRuns: ResourceDescriptor
    let runNamespaces: ResourceDescriptor
    let directory: URL

    static let namespaces = ResourceDescriptor(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static let crds = CRDInstall.resource

    /// `options` apply in memory only.
    static func start(options: ServerOptions = ServerOptions()) async throws -> CRDTarget {
        let suffix = String(UUID().uuidString.lowercased().prefix(8))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runs-crd-\(suffix)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // kubectl sends a kubeconfig token only over TLS: serve HTTPS with an in-process certificate.
        let cluster = try await TestCluster.start(directory: dir, options: options, tls: TestCluster.inMemory ? try .selfSigned() : nil)
        let (client, server) = (cluster.client, cluster.server)
        let ns = "runs-crd-\(suffix)"
        _ = try await client.create(namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        let group = "t\(suffix).codex-k8s.dev"
        var installed: [ResourceDescriptor] = []
        for var crd in try YAMLNode.parseDocuments(Array(EmbeddedManifests.crds.utf8)).map({ try $0.jsonValue() }) {
            let plural = crd[path: ["spec", "names", "plural"]]!.stringValue!
            let short = crd[path: ["spec", "names", "shortNames"]]!.arrayValue![0].stringValue!
            crd.set(path: ["metadata", "name"], to: .string("\(plural).\(group)"))
            crd.set(path: ["metadata", "labels", "runs-crd-test"], to: .string(suffix))
            crd.set(path: ["spec", "group"], to: .string(group))
            crd.set(path: ["spec", "names", "shortNames"], to: [.string("\(short)\(suffix)")])
            try await CRDInstall.createEstablished(crd, client)
            installed.append(ResourceDescriptor(group: group, version: "v1alpha1", plural: plural,
                                                kind: crd[path: ["spec", "names", "kind"]]!.stringValue!,
                                                namespaced: crd[path: ["spec", "scope"]] == "Namespaced"))
        }
        return CRDTarget(client: client, server: server, namespace: ns, suffix: suffix, agentRuns: installed[0],
                         runNamespaces: installed[1], directory: dir)
    }

    /// Runs `body` against a fresh target and always cleans up, also when `body` throws.
    static func with(options: ServerOptions = ServerOptions(), _ body: (CRDTarget) async throws -> Void) async throws {
        let t = try await start(options: options)
        do {
            try await body(t)
        } catch {
            await t.close()
            throw error
        }
        await t.close()
    }

    func close() async {
        _ = try? await client.delete(Self.namespaces, name: namespace)
        for r in [agentRuns, runNamespaces] { _ = try? await client.delete(Self.crds, name: "\(r.plural).\(r.group)") }
        try? await server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A valid AgentRun body in this target's group.
    func agentRun(_ name: String, spec: JSONValue = ["repository": "acme/shop", "issue": 42, "stage": "dev"]) -> JSONValue {
        ["apiVersion": .string(agentRuns.apiVersion), "kind": "AgentRun",
         "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    /// A valid RunNamespace body; its name carries the suffix so parallel runs never collide.
    func runNamespace(_ name: String, spec: JSONValue? = nil) -> JSONValue {
        ["apiVersion": .string(runNamespaces.apiVersion), "kind": "RunNamespace", "metadata": ["name": .string("\(name)-\(suffix)")],
         "spec": spec ?? ["repository": "acme/shop", "issue": 42, "stage": "dev", "role": "dev", "mode": "full-env", "ttl": "24h"]]
    }

    /// The fields of a 422's causes, or the error when the call failed otherwise (nil when it succeeded).
    static func invalidFields(_ body: () async throws -> Void) async -> [String]? {
        do {
            try await body()
            return nil
        } catch let KubeError.invalid(_, _, _, causes) {
            return causes.compactMap(\.field).filter { !$0.isEmpty }
        } catch {
            return ["unexpected: \(error)"]
        }
    }
}

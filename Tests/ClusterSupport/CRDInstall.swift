import KubeAPI
import KubeClient

/// Installing CustomResourceDefinitions as the integration tests do: create, then wait until the
/// apiserver reports the CRD Established (at once in memory; a watch on a real cluster), so the
/// test's first custom resource request does not race the CRD's registration.
public enum CRDInstall {
    public static let resource = ResourceDescriptor(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                                                    kind: "CustomResourceDefinition", namespaced: false)

    /// Creates `crd` through `client` and returns once it is Established.
    public static func createEstablished(_ crd: JSONValue, _ client: KubeClient) async throws {
        _ = try await client.create(resource, crd)
        try await waitEstablished(client, crd[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    /// Returns once the CRD `name` has condition Established=True, or when its 60 s watch ends.
    public static func waitEstablished(_ client: KubeClient, _ name: String) async throws {
        let events = client.watch(resource, options: WatchOptions(fieldSelector: "metadata.name=\(name)", timeoutSeconds: 60))
        for try await event in events {
            switch event {
            case .added(let crd), .modified(let crd): if isEstablished(crd) { return }
            default: break
            }
        }
    }

    /// True when `crd` has condition Established=True.
    public static func isEstablished(_ crd: JSONValue) -> Bool {
        (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Established" && $0["status"] == "True" }
    }
}

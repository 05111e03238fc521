import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: what the apiserver itself does for the chart's kinds (no controllers needed):
/// Service ClusterIP allocation and port defaults kept by an update without them, Deployment
/// defaults and selector validation — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct WorkloadConformanceTests {
    typealias T = ConformanceTarget
    static let services = ResourceDescriptor(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
    static let deployments = ResourceDescriptor(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true)

    @Test func serviceDefaultsAndClusterIPAllocation() async throws {
        let t = try await T.start()
        let c = t.client
        let svc: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web", "namespace": .string(t.namespace)],
                              "spec": ["selector": ["app": "web"], "ports": [["name": "http", "port": 80]]]]
        let created = try await c.create(Self.services, namespace: t.namespace, svc)
        let ip = try #require(created[path: ["spec", "clusterIP"]]?.stringValue)
        #expect(!ip.isEmpty && ip != "None")
        #expect(created[path: ["spec", "clusterIPs"]]?.arrayValue?.first == .string(ip))
        #expect(created[path: ["spec", "type"]] == "ClusterIP")
        #expect(created[path: ["spec", "sessionAffinity"]] == "None")
        #expect(created[path: ["spec", "internalTrafficPolicy"]] == "Cluster")
        let port = created[path: ["spec", "ports"]]?.arrayValue?.first
        #expect(port?["protocol"] == "TCP")
        #expect(port?["targetPort"] == 80)
        var update = svc
        update.set(path: ["metadata", "resourceVersion"], to: created[path: ["metadata", "resourceVersion"]])
        update.set(path: ["metadata", "labels"], to: ["tier": "web"])
        let replaced = try await c.replace(Self.services, namespace: t.namespace, name: "web", update)
        #expect(replaced[path: ["spec", "clusterIP"]] == .string(ip), "an update without clusterIP keeps the allocated one")
        _ = try await c.delete(Self.services, namespace: t.namespace, name: "web")
        try await t.close()
    }

    @Test func deploymentDefaultsAndSelectorValidation() async throws {
        let t = try await T.start()
        let c = t.client
        var dep: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d", "namespace": .string(t.namespace)],
                              "spec": ["selector": ["matchLabels": ["app": "d"]],
                                       "template": ["metadata": ["labels": ["app": "d"]],
                                                    "spec": ["containers": [["name": "c", "image": "busybox:1.36"]]]]]]
        let created = try await c.create(Self.deployments, namespace: t.namespace, dep)
        #expect(created[path: ["spec", "replicas"]] == 1)
        #expect(created[path: ["spec", "strategy"]] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
        #expect(created[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(created[path: ["spec", "progressDeadlineSeconds"]] == 600)
        #expect(created[path: ["metadata", "generation"]] == 1)
        dep.set(path: ["metadata", "name"], to: "bad")
        dep.set(path: ["spec", "selector", "matchLabels", "app"], to: "other")
        let invalid = await T.error { _ = try await c.create(Self.deployments, namespace: t.namespace, dep) }
        guard case .invalid(_, _, let message, _)? = invalid else {
            Issue.record("expected Invalid, got \(String(describing: invalid))")
            try await t.close()
            return
        }
        #expect(message.contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"d\"}: `selector` does not match template `labels`"),
                "\(message)")
        _ = try await c.delete(Self.deployments, namespace: t.namespace, name: "d")
        try await t.close()
    }
}

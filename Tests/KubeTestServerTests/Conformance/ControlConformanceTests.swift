import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// The server's test controls seen through KubeClient (in memory only: a real cluster has no
/// fault injection or fake kubelet, so these skip themselves there).
@Suite(.serialized, .enabled(if: ConformanceTarget.inMemory, "fault injection and the fake kubelet exist only in KubeTestServer"))
struct ControlConformanceTests {
    typealias T = ConformanceTarget

    @Test func clientRetriesInjected429AndTheLogCountsBothAttempts() async throws {
        let t = try await T.start()
        let server = try #require(t.server)
        server.faults.fail(RequestMatcher(verb: "get", resource: "configmaps"), count: 1, code: 429, retryAfter: 0)
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("r"))
        _ = try await t.client.get(T.configMaps, namespace: t.namespace, name: "r")
        #expect(server.requests.count(verb: "get", resource: "configmaps") == 2)
        #expect(server.requests.all.filter { $0.verb == "get" }.map(\.code) == [429, 200])
        try await t.close()
    }

    @Test func jobLifecycleThroughTheFakeKubelet() async throws {
        let t = try await T.start()
        let server = try #require(t.server)
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "agent", "namespace": .string(t.namespace)],
                              "spec": ["backoffLimit": 0, "template": ["spec": ["restartPolicy": "Never",
                                                                                "containers": [["name": "c", "image": "codex"]]]]]]
        _ = try await t.client.create(T.jobs, namespace: t.namespace, job)
        let pods = try await t.client.list(T.pods, namespace: t.namespace, options: ListOptions(labelSelector: "job-name=agent"))
        #expect(pods["items"]?.arrayValue?.count == 1)
        try server.kubelet.wait(job: "agent", namespace: t.namespace, reason: .createContainerConfigError)
        try server.kubelet.fail(job: "agent", namespace: t.namespace)
        let failed = try await t.client.get(T.jobs, namespace: t.namespace, name: "agent")
        #expect((failed[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Failed" && $0["reason"] == "BackoffLimitExceeded" })
        try await t.client.delete(T.jobs, namespace: t.namespace, name: "agent", options: DeleteOptions(propagationPolicy: .background))
        let left = try await t.client.list(T.pods, namespace: t.namespace)
        #expect(left["items"]?.arrayValue?.isEmpty == true)
        try await t.close()
    }
}

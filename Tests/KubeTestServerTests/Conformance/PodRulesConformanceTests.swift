import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: Pod container checks and spec immutability, limit-range ratios, quota scopes,
/// quantity decoding and object size limits — each the real apiserver's answer.
@Suite(.serialized) struct PodRulesConformanceTests {
    typealias T = ConformanceTarget

    @Test func podContainersAndSpecImmutability() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        let bad = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("bad", containers: [["name": "Bad_Name"]]))
        }
        #expect(Set(T.causes(bad).compactMap(\.field)) == ["spec.containers[0].name", "spec.containers[0].image"])
        let policies = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("pol", containers: [["name": "c", "image": "busybox:1.36",
                                                                                                "imagePullPolicy": "Sometimes"]],
                                                                        spec: ["restartPolicy": "Sometimes"]))
        }
        #expect(T.causes(policies).map(\.message).contains("Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""))
        #expect(Set(T.causes(policies).compactMap(\.field)) == ["spec.restartPolicy", "spec.containers[0].imagePullPolicy"])
        let pod = try await c.create(T.pods, namespace: t.namespace, t.pod("p"))
        var ports = pod
        ports.set(path: ["spec", "containers"], to: [["name": "c", "image": "busybox:1.36", "ports": [["containerPort": 80]]]])
        let denied = await T.error { _ = try await c.replace(T.pods, namespace: t.namespace, name: "p", ports) }
        #expect(denied?.code == 422)
        #expect(T.causes(denied).first?.field == "spec")
        #expect(T.message(denied).hasPrefix("Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"))
        let image = try await c.patch(T.pods, namespace: t.namespace, name: "p",
                                      .strategicMerge(["spec": ["containers": [["name": "c", "image": "busybox:1.37"]]]]))
        #expect(image[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "busybox:1.37", "images may change")
        try await t.close()
    }

    @Test func limitRangeMaxLimitRequestRatio() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        _ = try await c.create(T.limitRanges, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "ratio"],
            "spec": ["limits": [["type": "Container", "maxLimitRequestRatio": ["cpu": "2"]]]]])
        let greedy = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("g", containers: [["name": "c", "image": "busybox:1.36", "resources": [
                "requests": ["cpu": "100m"], "limits": ["cpu": "400m"]]]]))
        }
        #expect(T.message(greedy) == "pods \"g\" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000")
        let unrequested = await T.error { _ = try await c.create(T.pods, namespace: t.namespace, t.pod("u")) }
        #expect(T.message(unrequested) == "pods \"u\" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0")
        try await t.close()
    }

    @Test func limitRangePodTotalsAndMinimums() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        _ = try await c.create(T.limitRanges, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "lr"],
            "spec": ["limits": [["type": "Pod", "max": ["cpu": "1"]], ["type": "Container", "min": ["memory": "64Mi"]]]]])
        func container(_ name: String, cpu: String, memory: String) -> JSONValue {
            ["name": .string(name), "image": "busybox:1.36",
             "resources": ["limits": ["cpu": .string(cpu), "memory": .string(memory)]]]
        }
        let pair = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("pair", containers: [container("a", cpu: "600m", memory: "64Mi"),
                                                                                                container("b", cpu: "600m", memory: "64Mi")]))
        }
        #expect(T.message(pair) == "pods \"pair\" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m")
        let small = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("small", containers: [container("a", cpu: "100m", memory: "32Mi")]))
        }
        #expect(T.message(small) == "pods \"small\" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi")
        _ = try await c.create(T.pods, namespace: t.namespace, t.pod("fine", containers: [container("a", cpu: "500m", memory: "64Mi")]))
        try await t.close()
    }

    @Test func quotaScopesSelectPods() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        _ = try await c.create(T.quotas, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "be"],
            "spec": ["hard": ["pods": "1"], "scopes": ["BestEffort"]]])
        try await t.waitFor(T.quotas, "be") { $0[path: ["status", "used", "pods"]] == "0" }
        _ = try await c.create(T.pods, namespace: t.namespace, t.pod("one"))
        let second = await T.error { _ = try await c.create(T.pods, namespace: t.namespace, t.pod("two")) }
        #expect(T.message(second) == "pods \"two\" is forbidden: exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1")
        _ = try await c.create(T.pods, namespace: t.namespace, t.pod("burstable", containers: [["name": "c", "image": "busybox:1.36",
                                                                                                  "resources": ["requests": ["cpu": "100m"]]]]))
        let quota = try await t.waitFor(T.quotas, "be") { $0[path: ["status", "used", "pods"]] == "1" }
        #expect(quota != nil, "a Burstable pod is outside the BestEffort scope")
        try await t.close()
    }

    @Test func quantitiesAndSizeLimits() async throws {
        let t = try await T.start()
        let c = t.client
        let badQuantity = await T.error {
            _ = try await c.create(T.quotas, namespace: t.namespace, [
                "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "bad"], "spec": ["hard": ["cpu": "lots"]]])
        }
        #expect(badQuantity?.code == 400)
        #expect(T.message(badQuantity).contains("quantities must match the regular expression"))
        let negative = await T.error {
            _ = try await c.create(T.quotas, namespace: t.namespace, [
                "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "neg"], "spec": ["hard": ["cpu": "-1"]]])
        }
        #expect(T.causes(negative).first?.field == "spec.hard[cpu]")
        let canonical = try await c.create(T.quotas, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "ok"], "spec": ["hard": ["cpu": "0.5", "memory": "1024Mi"]]])
        #expect(canonical[path: ["spec", "hard"]] == ["cpu": "500m", "memory": "1Gi"])
        let big = String(repeating: "x", count: 1024 * 1024 + 1)
        let tooBig = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("big", data: ["k": .string(big)])) }
        #expect(tooBig?.code == 422)
        #expect(T.message(tooBig).contains("Too long: may not be more than 1048576 bytes"))
        var annotated = t.configMap("annotated")
        annotated.set(path: ["metadata", "annotations"], to: ["a": .string(String(repeating: "y", count: 256 * 1024))])
        let annotations = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, annotated) }
        #expect(T.causes(annotations).map(\.field) == ["metadata.annotations"])
        #expect(T.causes(annotations).first?.reason == "FieldValueTooLong")
        try await t.close()
    }
}

import KubeAPI
@testable import KubeTestServer
import Testing

/// What one object consumes of a quota (the quota evaluators), as pure functions.
struct QuotaUsageTests {
    @Test func quotaResourceNamesMapToTheKindsTheyCount() {
        #expect(QuotaUsage.storageKey(of: "count/jobs.batch") == "jobs.batch")
        #expect(QuotaUsage.storageKey(of: "secrets") == "secrets")
        #expect(QuotaUsage.storageKey(of: "limits.cpu") == "pods")
        #expect(QuotaUsage.storageKey(of: "memory") == "pods")
        #expect(QuotaUsage.storageKey(of: "requests.storage") == "persistentvolumeclaims")
        #expect(QuotaUsage.storageKey(of: "gold.storageclass.storage.k8s.io/requests.storage") == "persistentvolumeclaims")
        #expect(QuotaUsage.storageKey(of: "nonsense") == nil)
    }

    @Test func podUsageSumsContainersAndFloorsWithInitContainers() {
        let pod: JSONValue = ["spec": [
            "containers": [["name": "a", "resources": ["requests": ["cpu": "100m"], "limits": ["cpu": "200m"]]],
                           ["name": "b", "resources": ["requests": ["cpu": "300m", "memory": "1Gi"]]]],
            "initContainers": [["name": "i", "resources": ["requests": ["cpu": "1"]]]],
        ]]
        let usage = QuotaUsage.usage(of: pod, storageKey: "pods")
        #expect(usage["requests.cpu"]?.description == "1", "the init container's 1 exceeds the containers' 400m")
        #expect(usage["cpu"]?.description == "1")
        #expect(usage["requests.memory"]?.description == "1Gi")
        #expect(usage["limits.cpu"]?.description == "200m")
        #expect(usage["pods"]?.description == "1")
        #expect(usage["count/pods"]?.description == "1")
        var done = pod
        done["status"] = ["phase": "Succeeded"]
        #expect(QuotaUsage.usage(of: done, storageKey: "pods").keys.sorted() == ["count/pods"], "terminal pods only count as objects")
    }

    @Test func claimUsageCountsStoragePerClass() {
        let claim: JSONValue = ["spec": ["storageClassName": "gold", "resources": ["requests": ["storage": "5Gi"]]]]
        let usage = QuotaUsage.usage(of: claim, storageKey: "persistentvolumeclaims")
        #expect(usage["persistentvolumeclaims"]?.description == "1")
        #expect(usage["requests.storage"]?.description == "5Gi")
        #expect(usage["gold.storageclass.storage.k8s.io/requests.storage"]?.description == "5Gi")
    }
}

import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: the admission plugins a namespace-provisioning operator meets first —
/// ResourceQuota (and the quota controller's status), LimitRanger, ServiceAccount,
/// NamespaceLifecycle, and the job controller's FailedCreate when quota rejects a Job's pod.
/// Quota status is asynchronous on a real cluster: the tests wait for it.
@Suite(.serialized) struct AdmissionConformanceTests {
    typealias T = ConformanceTarget

    @Test func resourceQuotaCountsAndComputeResources() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        _ = try await c.create(T.quotas, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "q"],
            "spec": ["hard": ["secrets": "1", "limits.cpu": "1", "count/jobs.batch": "5"]]])
        let ready = try await t.waitFor(T.quotas, "q") { $0[path: ["status", "used", "secrets"]] == "0" }
        #expect(ready?[path: ["status", "hard"]] == ["secrets": "1", "limits.cpu": "1", "count/jobs.batch": "5"])
        #expect(ready?[path: ["status", "used"]] == ["secrets": "0", "limits.cpu": "0", "count/jobs.batch": "0"])
        func secret(_ name: String) -> JSONValue {
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name)], "stringData": ["k": "v"]]
        }
        _ = try await c.create(T.secrets, namespace: t.namespace, secret("s1"))
        let second = await T.error { _ = try await c.create(T.secrets, namespace: t.namespace, secret("s2")) }
        #expect(second?.code == 403)
        #expect(T.message(second) == "secrets \"s2\" is forbidden: exceeded quota: q, requested: secrets=1, used: secrets=1, limited: secrets=1")
        let noLimits = await T.error { _ = try await c.create(T.pods, namespace: t.namespace, t.pod("p")) }
        #expect(T.message(noLimits) == "pods \"p\" is forbidden: failed quota: q: must specify limits.cpu for: c")
        let tooBig = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("big", containers: [["name": "c", "image": "busybox:1.36",
                                                                                              "resources": ["limits": ["cpu": "1500m"]]]]))
        }
        #expect(T.message(tooBig) == "pods \"big\" is forbidden: exceeded quota: q, requested: limits.cpu=1500m, used: limits.cpu=0, limited: limits.cpu=1")
        _ = try await c.create(T.pods, namespace: t.namespace, t.pod("fits", containers: [["name": "c", "image": "busybox:1.36",
                                                                                             "resources": ["limits": ["cpu": "500m"]]]]))
        let counted = try await t.waitFor(T.quotas, "q") { $0[path: ["status", "used", "limits.cpu"]] == "500m" }
        #expect(counted?[path: ["status", "used", "secrets"]] == "1")
        try await c.delete(T.secrets, namespace: t.namespace, name: "s1")
        let freed = try await t.waitFor(T.quotas, "q") { $0[path: ["status", "used", "secrets"]] == "0" }
        #expect(freed != nil, "the quota controller recounts after a delete")
        _ = try await c.create(T.secrets, namespace: t.namespace, secret("s3"))
        try await t.close()
    }

    @Test func limitRangeDefaultsAndBounds() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        let lr = try await c.create(T.limitRanges, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "lr"],
            "spec": ["limits": [["type": "Container", "default": ["cpu": "500m", "memory": "128Mi"],
                                 "defaultRequest": ["cpu": "100m"], "max": ["cpu": "1"]]]]])
        #expect(lr[path: ["spec", "limits"]]?.arrayValue?.first?["defaultRequest"] == ["cpu": "100m", "memory": "128Mi"],
                "defaultRequest defaults from default")
        let pod = try await c.create(T.pods, namespace: t.namespace, t.pod("p"))
        let container = pod[path: ["spec", "containers"]]?.arrayValue?.first ?? [:]
        #expect(container["resources"] == ["limits": ["cpu": "500m", "memory": "128Mi"], "requests": ["cpu": "100m", "memory": "128Mi"]])
        #expect(pod[path: ["metadata", "annotations", "kubernetes.io/limit-ranger"]]
                == "LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c")
        #expect(pod[path: ["status", "qosClass"]] == "Burstable")
        let over = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("over", containers: [["name": "c", "image": "busybox:1.36",
                                                                                                "resources": ["limits": ["cpu": "2"]]]]))
        }
        #expect(over?.code == 403)
        #expect(T.message(over) == "pods \"over\" is forbidden: maximum cpu usage per Container is 1, but limit is 2")
        try await t.close()
    }

    @Test func serviceAccountAdmissionAndPodDefaults() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        let missing = await T.error {
            _ = try await c.create(T.pods, namespace: t.namespace, t.pod("p", spec: ["serviceAccountName": "robot"]))
        }
        #expect(T.message(missing) == "pods \"p\" is forbidden: error looking up service account \(t.namespace)/robot: serviceaccount \"robot\" not found")
        let pod = try await c.create(T.pods, namespace: t.namespace, t.pod("p"))
        let spec = pod["spec"] ?? [:]
        #expect(spec["serviceAccountName"] == "default")
        #expect(spec["enableServiceLinks"] == true)
        #expect(spec["priority"] == 0)
        #expect(spec["preemptionPolicy"] == "PreemptLowerPriority")
        #expect(spec["securityContext"] == [:])
        let container = spec["containers"]?.arrayValue?.first ?? [:]
        #expect(container["imagePullPolicy"] == "IfNotPresent")
        #expect(container["terminationMessagePath"] == "/dev/termination-log")
        #expect(container["terminationMessagePolicy"] == "File")
        #expect(container["resources"] == [:])
        let mount = container["volumeMounts"]?.arrayValue?.first
        #expect(mount?["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount")
        #expect(mount?["readOnly"] == true)
        let volume = spec["volumes"]?.arrayValue?.first
        #expect(volume?["name"]?.stringValue?.hasPrefix("kube-api-access-") == true)
        #expect(volume?["name"] == mount?["name"])
        #expect(volume?[path: ["projected", "sources"]]?.arrayValue?.count == 3)
        let tolerations = spec["tolerations"]?.arrayValue ?? []
        #expect(tolerations.contains(["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]))
        #expect(tolerations.contains(["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]))
        #expect(pod[path: ["status", "qosClass"]] == "BestEffort")
        try await t.close()
    }

    @Test func immortalNamespacesCannotBeDeleted() async throws {
        let t = try await T.start()
        let denied = await T.error { try await t.client.delete(T.namespaces, name: "default", options: DeleteOptions(dryRun: true)) }
        #expect(denied?.code == 403)
        #expect(T.message(denied) == "namespaces \"default\" is forbidden: this namespace may not be deleted")
        let system = await T.error { try await t.client.delete(T.namespaces, name: "kube-system", options: DeleteOptions(dryRun: true)) }
        #expect(system?.code == 403)
        try await t.close()
    }

    @Test func jobPodRejectedByQuotaIsRetried() async throws {
        let t = try await T.start()
        let c = t.client
        try await t.waitForDefaultServiceAccount()
        _ = try await c.create(T.quotas, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "q"], "spec": ["hard": ["pods": "0"]]])
        try await t.waitFor(T.quotas, "q") { $0[path: ["status", "used", "pods"]] == "0" }
        _ = try await c.create(T.jobs, namespace: t.namespace, [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
            "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox:1.36"]]]]]])
        let event = try await t.waitForAny(T.events) {
            $0["reason"] == "FailedCreate" && $0[path: ["involvedObject", "name"]] == "j"
        }
        #expect(event?["type"] == "Warning")
        #expect(event?["message"]?.stringValue?.hasPrefix("Error creating: pods \"j-") == true)
        #expect(event?["message"]?.stringValue?.hasSuffix("is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0") == true)
        let pods = try await c.list(T.pods, namespace: t.namespace)
        #expect(pods["items"]?.arrayValue?.isEmpty == true)
        _ = try await c.patch(T.quotas, namespace: t.namespace, name: "q", .merge(["spec": ["hard": ["pods": "1"]]]))
        let pod = try await t.waitForAny(T.pods) { $0[path: ["metadata", "labels", "job-name"]] == "j" }
        #expect(pod != nil, "the job controller retries once the quota allows the pod")
        let created = try await t.waitForAny(T.events) {
            $0["reason"] == "SuccessfulCreate" && $0[path: ["involvedObject", "name"]] == "j"
        }
        #expect(created?["type"] == "Normal")
        #expect(created?["message"] == .string("Created pod: \(pod?[path: ["metadata", "name"]]?.stringValue ?? "")"))
        try await t.close()
    }
}

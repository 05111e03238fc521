import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The workload APIs over HTTP: Deployment → ReplicaSet → Pods with the real status and
/// conditions, Service defaults and ClusterIP allocation, PodDisruptionBudget status and
/// `pods/eviction`, `pods/log`, and the other kinds a chart uses.
struct WorkloadAPITests {
    static func deployment(_ name: String, replicas: Int64 = 2, image: String = "nginx:1.27") -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": [["name": "web", "image": .string(image),
                                                        "ports": [["containerPort": 80]]]]]]]]
    }

    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test func deploymentCreatesReplicaSetAndPodsAndBecomesAvailableWhenThePodsRun() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let created = try http.request("POST", Self.deployments, body: Self.deployment("web"))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] == "25%")
        #expect(created.json[path: ["spec", "progressDeadlineSeconds"]] == 600)
        #expect(created.json[path: ["spec", "template", "spec", "containers"]]?[item: 0]?["imagePullPolicy"] == "IfNotPresent")
        let rsList = try http.request("GET", "/apis/apps/v1/namespaces/default/replicasets").json
        let rs = try #require(rsList["items"]?.arrayValue?.first)
        let rsName = try #require(rs[path: ["metadata", "name"]]?.stringValue)
        let hash = try #require(rs[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue)
        #expect(rsName == "web-\(hash)")
        #expect(rs[path: ["metadata", "ownerReferences"]]?[item: 0]?["kind"] == "Deployment")
        #expect(rs[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "1")
        let pods = try http.request("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb").json["items"]?.arrayValue ?? []
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0[path: ["metadata", "generateName"]]?.stringValue == "\(rsName)-" })
        var dep = try http.request("GET", "\(Self.deployments)/web").json
        #expect(dep[path: ["status", "replicas"]] == 2)
        #expect(dep[path: ["status", "updatedReplicas"]] == 2)
        #expect(dep[path: ["status", "unavailableReplicas"]] == 2)
        #expect(Self.condition(dep, "Available")?["reason"] == "MinimumReplicasUnavailable")
        #expect(Self.condition(dep, "Progressing")?["reason"] == "ReplicaSetUpdated")

        let ran = try f.server.kubelet.runPods(ofDeployment: "web", namespace: "default")
        #expect(ran.count == 2)
        dep = try http.request("GET", "\(Self.deployments)/web").json
        #expect(dep[path: ["status", "observedGeneration"]] == dep[path: ["metadata", "generation"]])
        #expect(dep[path: ["status", "readyReplicas"]] == 2)
        #expect(dep[path: ["status", "availableReplicas"]] == 2)
        #expect(dep[path: ["status", "unavailableReplicas"]] == nil)
        #expect(Self.condition(dep, "Available")?["status"] == "True")
        #expect(Self.condition(dep, "Available")?["message"] == "Deployment has minimum availability.")
        #expect(Self.condition(dep, "Progressing")?["reason"] == "NewReplicaSetAvailable")
        #expect(Self.condition(dep, "Progressing")?["message"] == .string("ReplicaSet \"\(rsName)\" has successfully progressed."))
        try await f.close()
    }

    @Test func aNewTemplateRollsToANewReplicaSetAndScalingFollows() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        _ = try http.request("POST", Self.deployments, body: Self.deployment("api", replicas: 1))
        try f.server.kubelet.runPods(ofDeployment: "api", namespace: "default")
        let patch = try http.request("PATCH", "\(Self.deployments)/api",
                                     body: ["spec": ["replicas": 3, "template": ["spec": ["containers": [["name": "web", "image": "nginx:1.28"]]]]]],
                                     headers: ["Content-Type": "application/strategic-merge-patch+json"])
        #expect(patch.status == 200, "\(patch.text)")
        let sets = try http.request("GET", "/apis/apps/v1/namespaces/default/replicasets").json["items"]?.arrayValue ?? []
        #expect(sets.count == 2)
        let byRevision = Dictionary(uniqueKeysWithValues: sets.map {
            ($0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.stringValue ?? "", $0)
        })
        #expect(byRevision["1"]?[path: ["spec", "replicas"]] == 0)
        #expect(byRevision["2"]?[path: ["spec", "replicas"]] == 3)
        let pods = try http.request("GET", "/api/v1/namespaces/default/pods").json["items"]?.arrayValue ?? []
        #expect(pods.count == 3)
        #expect(pods.allSatisfy { $0[path: ["spec", "containers"]]?[item: 0]?["image"] == "nginx:1.28" })
        let dep = try http.request("GET", "\(Self.deployments)/api").json
        #expect(dep[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
        #expect(dep[path: ["metadata", "generation"]] == 2)
        // Deleting the Deployment takes its ReplicaSets and pods with it (garbage collector).
        #expect(try http.request("DELETE", "\(Self.deployments)/api").status == 200)
        #expect(try http.request("GET", "/api/v1/namespaces/default/pods").json["items"]?.arrayValue?.isEmpty == true)
        try await f.close()
    }

    @Test func deploymentValidationMatchesTheRealMessages() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        var body = Self.deployment("bad")
        body.set(path: ["spec", "selector"], to: ["matchLabels": ["app": "other"]])
        let r = try http.request("POST", Self.deployments, body: body)
        #expect(r.status == 422)
        #expect(r.json["message"] == "Deployment.apps \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"bad\"}: `selector` does not match template `labels`")
        body.set(path: ["spec", "selector"], to: nil)
        #expect(try http.request("POST", Self.deployments, body: body).json[path: ["details", "causes"]]?[item: 0]?["field"] == "spec.selector")
        try await f.close()
    }

    @Test func serviceGetsAClusterIPAndPortDefaultsThatUpdatesKeep() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let svc: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                              "spec": ["selector": ["app": "web"], "ports": [["name": "http", "port": 80]]]]
        let created = try http.request("POST", "/api/v1/namespaces/default/services", body: svc)
        #expect(created.status == 201, "\(created.text)")
        let ip = try #require(created.json[path: ["spec", "clusterIP"]]?.stringValue)
        #expect(ip.hasPrefix("10.96."))
        #expect(created.json[path: ["spec", "clusterIPs"]] == [.string(ip)])
        #expect(created.json[path: ["spec", "type"]] == "ClusterIP")
        #expect(created.json[path: ["spec", "sessionAffinity"]] == "None")
        #expect(created.json[path: ["spec", "ipFamilies"]] == ["IPv4"])
        #expect(created.json[path: ["spec", "ports"]]?[item: 0]?["protocol"] == "TCP")
        #expect(created.json[path: ["spec", "ports"]]?[item: 0]?["targetPort"] == 80)
        #expect(created.json["status"] == ["loadBalancer": [:]])
        // A PUT without clusterIP keeps the allocated one.
        var put = svc
        put.set(path: ["metadata", "resourceVersion"], to: created.json[path: ["metadata", "resourceVersion"]])
        let updated = try http.request("PUT", "/api/v1/namespaces/default/services/web", body: put)
        #expect(updated.status == 200, "\(updated.text)")
        #expect(updated.json[path: ["spec", "clusterIP"]] == .string(ip))
        let noPorts: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "empty"], "spec": [:]]
        let rejected = try http.request("POST", "/api/v1/namespaces/default/services", body: noPorts)
        #expect(rejected.status == 422)
        #expect(rejected.json[path: ["details", "causes"]]?[item: 0]?["field"] == "spec.ports")
        try await f.close()
    }

    @Test func evictionRespectsThePodDisruptionBudget() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        _ = try http.request("POST", Self.deployments, body: Self.deployment("db", replicas: 2))
        let pdb: JSONValue = ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "db"],
                              "spec": ["minAvailable": 2, "selector": ["matchLabels": ["app": "db"]]]]
        let createdPDB = try http.request("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", body: pdb)
        #expect(createdPDB.status == 201, "\(createdPDB.text)")
        let pods = try f.server.kubelet.runPods(ofDeployment: "db", namespace: "default")
        let status = try http.request("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db").json["status"] ?? [:]
        #expect(status["currentHealthy"] == 2)
        #expect(status["desiredHealthy"] == 2)
        #expect(status["expectedPods"] == 2)
        #expect(status["disruptionsAllowed"] == 0)
        #expect(status["conditions"]?[item: 0]?["reason"] == "InsufficientPods")
        let eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(pods[0])]]
        let denied = try http.request("POST", "/api/v1/namespaces/default/pods/\(pods[0])/eviction", body: eviction)
        #expect(denied.status == 429)
        #expect(denied.json["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(denied.json[path: ["details", "causes"]]?[item: 0]?["message"] == "The disruption budget db needs 2 healthy pods and has 2 currently")
        _ = try http.request("PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db", body: ["spec": ["minAvailable": 1]],
                             headers: ["Content-Type": "application/merge-patch+json"])
        let evicted = try http.request("POST", "/api/v1/namespaces/default/pods/\(pods[0])/eviction", body: eviction)
        #expect(evicted.status == 201, "\(evicted.text)")
        #expect(evicted.json == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
        #expect(try http.request("GET", "/api/v1/namespaces/default/pods/\(pods[0])").status == 404)
        // The ReplicaSet replaces the evicted pod.
        #expect(try http.request("GET", "/api/v1/namespaces/default/pods").json["items"]?.arrayValue?.count == 2)
        try await f.close()
    }

    @Test func podLogServesTheTextTheKubeletWasGiven() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        _ = try http.request("POST", Self.deployments, body: Self.deployment("logs", replicas: 1))
        let pod = try #require(try http.request("GET", "/api/v1/namespaces/default/pods").json["items"]?[item: 0]?[path: ["metadata", "name"]]?.stringValue)
        let waiting = try http.request("GET", "/api/v1/namespaces/default/pods/\(pod)/log")
        #expect(waiting.status == 400)
        #expect(waiting.json["message"] == .string("container \"web\" in pod \"\(pod)\" is waiting to start: ContainerCreating"))
        try f.server.kubelet.runPod(pod, namespace: "default")
        f.server.kubelet.setLog(pod: pod, namespace: "default", text: "one\ntwo\nthree\n")
        let log = try http.request("GET", "/api/v1/namespaces/default/pods/\(pod)/log?tailLines=2")
        #expect(log.status == 200)
        #expect(log.headers["content-type"] == "text/plain")
        #expect(log.text == "two\nthree\n")
        #expect(try http.request("GET", "/api/v1/namespaces/default/pods/\(pod)/log?container=nope").json["message"]
            == .string("container nope is not valid for pod \(pod)"))
        try await f.close()
    }

    @Test func theOtherChartKindsAreServedWithTheirDefaults() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let cron: JSONValue = ["apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": "nightly"],
                               "spec": ["schedule": "0 3 * * *", "jobTemplate": ["spec": ["template": ["spec": [
                                   "restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]]]]]
        let c = try http.request("POST", "/apis/batch/v1/namespaces/default/cronjobs", body: cron)
        #expect(c.status == 201, "\(c.text)")
        #expect(c.json[path: ["spec", "concurrencyPolicy"]] == "Allow")
        #expect(c.json[path: ["spec", "successfulJobsHistoryLimit"]] == 3)
        let pvc: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"],
                              "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]
        let p = try http.request("POST", "/api/v1/namespaces/default/persistentvolumeclaims", body: pvc)
        #expect(p.status == 201, "\(p.text)")
        #expect(p.json[path: ["spec", "volumeMode"]] == "Filesystem")
        #expect(p.json[path: ["status", "phase"]] == "Pending")
        let ing: JSONValue = ["apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": ["name": "web"],
                              "spec": ["rules": [["host": "a.example.com"]]]]
        #expect(try http.request("POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", body: ing).status == 201)
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-1"]]
        #expect(try http.request("POST", "/api/v1/nodes", body: node).status == 201)
        #expect(try http.request("GET", "/api/v1/nodes/node-1").json[path: ["metadata", "namespace"]] == nil)
        let resources = try http.request("GET", "/api/v1").json["resources"]?.arrayValue ?? []
        let names = Set(resources.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["services", "nodes", "persistentvolumeclaims", "pods/log", "pods/eviction"]))
        #expect(resources.first { $0["name"] == "pods/eviction" }?["verbs"] == ["create"])
        try await f.close()
    }

    static func condition(_ obj: JSONValue, _ type: String) -> JSONValue? {
        obj[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }
}

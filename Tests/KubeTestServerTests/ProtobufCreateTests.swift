import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// `kubectl create <kind>` sends protobuf bodies (FINDINGS B3): each must be decoded into the same
/// object the JSON form gives.
@Suite(.enabled(if: Kubectl.path != nil, "kubectl not found (run scripts/install-kube-tools)"))
struct ProtobufCreateTests {
    @Test func kubectlCreateOfEachKindIsDecoded() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let commands: [[String]] = [
            ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"],
            ["create", "job", "once", "--image=busybox", "--", "echo", "hi"],
            ["create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *"],
            ["create", "quota", "q", "--hard=pods=2,requests.cpu=1"],
            ["create", "service", "clusterip", "svc", "--tcp=80:8080"],
            ["create", "pdb", "budget", "--selector=app=web", "--min-available=1"],
            ["create", "ingress", "ing", "--rule=a.example.com/=svc:80"],
        ]
        for args in commands {
            let r = try await kubectl.run(args)
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        let store = f.server.store
        func get(_ g: String, _ plural: String, _ name: String) throws -> JSONValue {
            let type = try #require(store.resourceType(group: g, version: "v1", plural: plural))
            return try store.get(type, namespace: "default", name: name)
        }
        let dep = try get("apps", "deployments", "web")
        #expect(dep[path: ["spec", "replicas"]] == 2)
        #expect(dep[path: ["spec", "selector", "matchLabels", "app"]] == "web")
        #expect(dep[path: ["spec", "template", "spec", "containers"]]?[item: 0]?["image"] == "nginx:1.27")
        #expect(dep[path: ["spec", "template", "spec", "containers"]]?[item: 0]?["ports"] == [["containerPort": 80, "protocol": "TCP"]])
        #expect(dep[path: ["spec", "strategy", "type"]] == "RollingUpdate")
        let job = try get("batch", "jobs", "once")
        #expect(job[path: ["spec", "template", "spec", "containers"]]?[item: 0]?["command"] == ["echo", "hi"])
        #expect(job[path: ["spec", "template", "spec", "restartPolicy"]] == "Never")
        #expect(try get("batch", "cronjobs", "nightly")[path: ["spec", "schedule"]] == "0 3 * * *")
        let quota = try get("", "resourcequotas", "q")
        #expect(quota[path: ["spec", "hard"]] == ["pods": "2", "requests.cpu": "1"])
        let svc = try get("", "services", "svc")
        #expect(svc[path: ["spec", "ports"]]?[item: 0]?["port"] == 80)
        #expect(svc[path: ["spec", "ports"]]?[item: 0]?["targetPort"] == 8080)
        #expect(svc[path: ["spec", "clusterIP"]]?.stringValue?.hasPrefix("10.96.") == true)
        let pdb = try get("policy", "poddisruptionbudgets", "budget")
        #expect(pdb[path: ["spec", "minAvailable"]] == 1)
        let ing = try get("networking.k8s.io", "ingresses", "ing")
        #expect(ing[path: ["spec", "rules"]]?[item: 0]?["host"] == "a.example.com")
        #expect(ing[path: ["spec", "rules"]]?[item: 0]?[path: ["http", "paths"]]?[item: 0]?[path: ["backend", "service", "port", "number"]] == 80)
        try await f.close()
    }
}

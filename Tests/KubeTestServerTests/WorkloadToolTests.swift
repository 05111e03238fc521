import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// Workloads as kubectl and helm see them: `helm install --wait` of a chart with a Deployment,
/// Service and PodDisruptionBudget, `kubectl rollout status`, `kubectl explain` from /openapi/v3.
@Suite(.enabled(if: Kubectl.path != nil && Kubectl.helmPath != nil, "kubectl/helm not found (run scripts/install-kube-tools)"))
struct WorkloadToolTests {
    static let deploymentYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}

        """

    @Test func helmInstallWaitsForTheDeploymentToBecomeAvailable() async throws {
        let f = try await Fixture.start()
        let kubeconfig = try f.server.writeKubeconfig(to: f.directory.appendingPathComponent("kubeconfig").path)
        let chart = f.directory.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: app\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try Self.deploymentYAML.replacingOccurrences(of: ", namespace: default", with: "")
            .write(to: chart.appendingPathComponent("templates/deployment.yaml"), atomically: true, encoding: .utf8)
        try """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 80}]
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: web}}

            """.write(to: chart.appendingPathComponent("templates/service.yaml"), atomically: true, encoding: .utf8)
        f.server.kubelet.runPodsAutomatically()
        let install = try await HelmTests.helm(f, kubeconfig, ["install", "app", chart.path, "--wait", "--timeout", "120s"])
        #expect(install.0 == 0, "\(install.1)")
        #expect(install.1.contains("STATUS: deployed"), "\(install.1)")
        let deployments = try #require(f.server.store.resourceType(group: "apps", version: "v1", plural: "deployments"))
        let dep = try f.server.store.get(deployments, namespace: "default", name: "web")
        #expect(dep[path: ["status", "availableReplicas"]] == 2)
        let uninstall = try await HelmTests.helm(f, kubeconfig, ["uninstall", "app", "--wait"])
        #expect(uninstall.0 == 0, "\(uninstall.1)")
        try await f.close()
    }

    @Test func kubectlRolloutStatusFinishesWhenThePodsAreReady() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let apply = try await kubectl.run(["apply", "-f", "-"], stdin: Self.deploymentYAML)
        #expect(apply.status == 0, "\(apply.err)")
        #expect(apply.out.contains("deployment.apps/web created"), "\(apply.out)")
        let pending = try await kubectl.run(["rollout", "status", "deployment/web", "--watch=false"])
        #expect(pending.out.contains("Waiting for deployment \"web\" rollout to finish: 0 of 2 updated replicas are available..."),
                "\(pending.out)")
        try f.server.kubelet.runPods(ofDeployment: "web", namespace: "default")
        let rollout = try await kubectl.run(["rollout", "status", "deployment/web", "--timeout=120s"])
        #expect(rollout.status == 0, "\(rollout.err)")
        #expect(rollout.out.contains("deployment \"web\" successfully rolled out"), "\(rollout.out)")
        let get = try await kubectl.run(["get", "deployments"])
        #expect(get.out.split(separator: "\n").first?.split(separator: " ", omittingEmptySubsequences: true)
            == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], "\(get.out)")
        #expect(get.out.contains("2/2"), "\(get.out)")
        let pods = try f.server.kubelet.runPods(ofDeployment: "web", namespace: "default")
        #expect(pods.isEmpty, "all pods already run")
        let pod = try #require(try await kubectl.run(["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]).out.split(separator: " ").first)
        f.server.kubelet.setLog(pod: String(pod), namespace: "default", text: "listening on :80\nready\n")
        let logs = try await kubectl.run(["logs", String(pod), "--tail=1"])
        #expect(logs.status == 0, "\(logs.err)")
        #expect(logs.out == "ready\n", "\(logs.out)")
        try await f.close()
    }

    @Test func kubectlExplainReadsTheOpenAPISchemas() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let spec = try await kubectl.run(["explain", "pods.spec"])
        #expect(spec.status == 0, "\(spec.err)")
        #expect(spec.out.contains("FIELD: spec <PodSpec>"), "\(spec.out)")
        #expect(spec.out.contains("containers\t<[]Container> -required-") || spec.out.contains("containers\t<[]Container>"), "\(spec.out)")
        let deployment = try await kubectl.run(["explain", "deployment.spec.strategy"])
        #expect(deployment.status == 0, "\(deployment.err)")
        #expect(deployment.out.contains("rollingUpdate"), "\(deployment.out)")
        let crd = try await kubectl.run(["apply", "-f", "-"], stdin: KubectlTests.crdYAML)
        #expect(crd.status == 0, "\(crd.err)")
        let widget = try await kubectl.run(["explain", "widgets.spec"])
        #expect(widget.status == 0, "\(widget.err)")
        #expect(widget.out.contains("size\t<integer> -required-"), "\(widget.out)")
        try await f.close()
    }
}

import Foundation
import KubeAPI
import Testing

/// `helm lint` and `helm template` of charts/codex-k8s: the workloads' restricted security
/// context, replicas, probes and resources; no secret value anywhere in the chart.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartRenderTests {
    @Test func lintPasses() async throws {
        let result = try await Helm.run(["lint", Helm.chart, "--strict"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("1 chart(s) linted, 0 chart(s) failed"), "\(result.out)")
    }

    /// Every container of both Deployments runs under the Pod Security "restricted" profile with a
    /// read-only root, has requests and limits, and is probed on /healthz and /readyz.
    @Test func deploymentsAreRestrictedAndProbed() async throws {
        let objects = try await Helm.template()
        let operatorDeployment = try #require(objects.object("Deployment", "codex-k8s-operator"))
        let webhook = try #require(objects.object("Deployment", "codex-k8s-webhook"))
        #expect(operatorDeployment[path: ["spec", "replicas"]] == 2)
        #expect(webhook[path: ["spec", "replicas"]] == 2)
        for deployment in [operatorDeployment, webhook] {
            let pod = try #require(deployment[path: ["spec", "template", "spec"]])
            #expect(pod[path: ["securityContext", "runAsNonRoot"]] == true)
            #expect(pod[path: ["securityContext", "seccompProfile", "type"]] == "RuntimeDefault")
            let containers = try #require(pod["containers"]?.arrayValue)
            #expect(containers.count == 1)
            for c in containers {
                let sc = try #require(c["securityContext"])
                #expect(sc["runAsNonRoot"] == true)
                #expect(sc["allowPrivilegeEscalation"] == false)
                #expect(sc["readOnlyRootFilesystem"] == true)
                #expect(sc[path: ["capabilities", "drop"]] == ["ALL"])
                #expect(sc[path: ["capabilities", "add"]] == nil)
                #expect(sc[path: ["seccompProfile", "type"]] == "RuntimeDefault")
                #expect(sc["privileged"] == nil)
                #expect(c[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
                #expect(c[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
                for kind in ["requests", "limits"] {
                    #expect(c[path: ["resources", kind, "cpu"]] != nil && c[path: ["resources", kind, "memory"]] != nil)
                }
                // The config is mounted read-only; /tmp is the only writable path.
                let mounts = c["volumeMounts"]?.arrayValue ?? []
                #expect(mounts.contains { $0["mountPath"] == "/etc/codex-k8s" && $0["readOnly"] == true })
            }
        }
        // Leader election: each replica has its own identity, the Lease lives in the release namespace.
        let args = operatorDeployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["args"]?.arrayValue ?? []
        #expect(args.first == "operator")
        #expect(args.contains("--identity=$(POD_NAME)") && args.contains("--namespace=$(POD_NAMESPACE)"))
        #expect(!args.contains("--skip-self-check"))
        for pdb in ["codex-k8s-operator", "codex-k8s-webhook"] {
            #expect(objects.object("PodDisruptionBudget", pdb)?[path: ["spec", "minAvailable"]] == 1)
        }
    }

    /// The chart refers to existing Secrets only: it renders no Secret, and every secret reaches a
    /// container through secretKeyRef.
    @Test func secretsAreReferencesOnly() async throws {
        let objects = try await Helm.template(["database.secretName=codex-db",
                                               "webhook.secretRefs[0].env=CODEX_K8S_WEBHOOK_SECRET",
                                               "webhook.secretRefs[0].secretName=hook-new", "webhook.secretRefs[0].key=secret",
                                               "webhook.secretRefs[1].env=CODEX_K8S_WEBHOOK_SECRET_OLD",
                                               "webhook.secretRefs[1].secretName=hook-old", "webhook.secretRefs[1].key=secret"])
        #expect(objects.of("Secret").isEmpty)
        let webhook = try #require(objects.object("Deployment", "codex-k8s-webhook"))
        let env = webhook[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["env"]?.arrayValue ?? []
        func ref(_ name: String) -> JSONValue? { env.first { $0["name"]?.stringValue == name }?[path: ["valueFrom", "secretKeyRef"]] }
        #expect(ref("CODEX_K8S_WEBHOOK_SECRET") == ["name": "hook-new", "key": "secret"])
        #expect(ref("CODEX_K8S_WEBHOOK_SECRET_OLD") == ["name": "hook-old", "key": "secret"])
        #expect(ref("CODEX_K8S_DATABASE_URL") == ["name": "codex-db", "key": "url"])
        #expect(!env.contains { $0["value"] != nil && $0["name"]?.stringValue?.contains("SECRET") == true })
    }

    /// Optional objects appear only when enabled; the alerts and dashboard use the metric names
    /// the binary exposes.
    @Test func monitoringObjects() async throws {
        let defaults = try await Helm.template()
        #expect(defaults.of("ServiceMonitor").isEmpty && defaults.of("PrometheusRule").isEmpty && defaults.of("Ingress").isEmpty)
        let all = try await Helm.template(["metrics.serviceMonitor.enabled=true", "metrics.prometheusRule.enabled=true",
                                           "webhook.ingress.enabled=true", "webhook.ingress.host=hooks.example.org"])
        #expect(all.object("Ingress", "codex-k8s-webhook")?[path: ["spec", "rules"]]?.arrayValue?.first?["host"] == "hooks.example.org")
        #expect(all.object("ServiceMonitor", "codex-k8s") != nil)
        let rule = try #require(all.object("PrometheusRule", "codex-k8s"))
        let alerts = rule[path: ["spec", "groups"]]?.arrayValue?.first?["rules"]?.arrayValue?.compactMap { $0["alert"]?.stringValue } ?? []
        #expect(Set(alerts).isSuperset(of: ["CodexK8sSweeperStalled", "CodexK8sRunsStuckProvisioning",
                                            "CodexK8sWebhook5xx", "CodexK8sNamespacesStuckTerminating"]))
        let dashboard = try #require(defaults.object("ConfigMap", "codex-k8s-dashboard")?[path: ["data", "codex-k8s.json"]]?.stringValue)
        let json = try JSONValue(parsing: dashboard)
        let titles = json["panels"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
        #expect(Set(titles).isSuperset(of: ["Runs by phase", "Queue depth", "Reconcile latency",
                                            "Webhook deliveries by outcome", "Run namespaces by phase"]))
        for metric in ["codex_agentruns", "workqueue_depth", "controller_reconcile_time_seconds_bucket"] {
            #expect(dashboard.contains(metric), "\(metric)")
        }
    }
}

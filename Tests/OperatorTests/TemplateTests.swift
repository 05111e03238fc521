import KubeAPI
import Operator
import Runs
import Testing

/// The resource templates compared whole: any field added, dropped or changed fails a test.
@Suite struct TemplateTests {
    static let spec = AgentRunSpec(repository: "acme/shop", issue: 42, pullRequest: 7, stage: .dev,
                                   agent: AgentOverrides(env: [AgentEnvVar(name: "EXTRA", value: "1")]))
    static let plan = RunPlan(runName: "shop-42-dev-abc", controlNamespace: "codex-system", spec: spec,
                              namespace: "codex-acme-shop-42-dev-123456", mode: .fullEnv, model: "gpt-5-codex",
                              reasoning: .high, leaseExpiresAt: KubeTime(secondsSince1970: 1_800_000_000),
                              config: .defaults)
    static let labels = ["app.kubernetes.io/managed-by": "codex-k8s", "codex-k8s.dev/run": "shop-42-dev-abc",
                         "codex-k8s.dev/issue": "42", "codex-k8s.dev/stage": "dev", "codex-k8s.dev/mode": "full-env"]
    static func meta(_ name: String) -> ObjectMeta {
        ObjectMeta(name: name, namespace: plan.namespace, labels: labels,
                   annotations: ["codex-k8s.dev/repository": "acme/shop"])
    }

    @Test func theJobIsRestrictedTakesCredentialsOnlyFromSecretKeyRefsAndHasNoDeadline() {
        let restricted = SecurityContext(runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false,
                                         capabilities: Capabilities(drop: ["ALL"]),
                                         seccompProfile: SeccompProfile(type: "RuntimeDefault"))
        let env: [EnvVar] = [
            EnvVar(name: "CODEX_RUN", value: "shop-42-dev-abc"),
            EnvVar(name: "CODEX_REPOSITORY", value: "acme/shop"),
            EnvVar(name: "CODEX_ISSUE", value: "42"),
            EnvVar(name: "CODEX_PULL_REQUEST", value: "7"),
            EnvVar(name: "CODEX_STAGE", value: "dev"),
            EnvVar(name: "CODEX_REVISE", value: "false"),
            EnvVar(name: "CODEX_MODEL", value: "gpt-5-codex"),
            EnvVar(name: "CODEX_REASONING", value: "high"),
            EnvVar(name: "CODEX_NAMESPACE", value: "codex-acme-shop-42-dev-123456"),
            EnvVar(name: "CODEX_MODE", value: "full-env"),
            EnvVar(name: "EXTRA", value: "1"),
            EnvVar(name: "OPENAI_API_KEY", valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "codex-agent-credentials", key: "openai-api-key"))),
            EnvVar(name: "GITHUB_TOKEN", valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "codex-agent-credentials", key: "github-token"))),
        ]
        let expected = Job(metadata: Self.meta("shop-42-dev-abc"), spec: JobSpec(
            template: PodTemplateSpec(metadata: ObjectMeta(labels: Self.labels), spec: PodSpec(
                containers: [Container(name: "agent", image: "ghcr.io/codex-k8s/agent:latest", imagePullPolicy: "IfNotPresent",
                                       command: ["codex"], args: ["exec", "--full-auto"], env: env,
                                       resources: ResourceRequirements(limits: ["cpu": "2", "memory": "4Gi"],
                                                                       requests: ["cpu": "500m", "memory": "1Gi"]),
                                       securityContext: restricted)],
                restartPolicy: "Never", serviceAccountName: "codex-agent", automountServiceAccountToken: true,
                securityContext: PodSecurityContext(runAsNonRoot: true, seccompProfile: SeccompProfile(type: "RuntimeDefault")),
                enableServiceLinks: false)),
            backoffLimit: 0))
        #expect(RunResources.job(Self.plan) == expected)
        #expect(RunResources.job(Self.plan).spec?.activeDeadlineSeconds == nil)
    }

    @Test func codeOnlyRunsGetNoTokenAndTheReadOnlyRole() {
        var plan = Self.plan
        plan.mode = .codeOnly
        #expect(RunResources.job(plan).spec?.template.spec.automountServiceAccountToken == false)
        #expect(RunResources.serviceAccount(plan).automountServiceAccountToken == false)
        #expect(RunResources.roleBinding(plan).roleRef == RoleRef(kind: "ClusterRole", name: "codex-k8s-agent-code-only"))
    }

    @Test func aRunCannotSmuggleCredentialsOrOverrideTheRunContext() {
        var plan = Self.plan
        plan.spec.agent = AgentOverrides(env: [AgentEnvVar(name: "OPENAI_API_KEY", value: "plaintext")])
        let env = RunResources.job(plan).spec!.template.spec.containers[0].env!
        #expect(env.filter { $0.name == "OPENAI_API_KEY" } == [EnvVar(name: "OPENAI_API_KEY", valueFrom: EnvVarSource(
            secretKeyRef: KeySelector(name: "codex-agent-credentials", key: "openai-api-key")))])
        #expect(env.allSatisfy { $0.value == nil || !$0.value!.contains("plaintext") })
    }

    @Test func theNetworkPolicyDeniesOtherNamespacesAndAllowsOnlyDNSAndWebButNeverMetadata() {
        let anywhere = NetworkPolicyPeer(ipBlock: IPBlock(cidr: "0.0.0.0/0", except: ["169.254.169.254/32"]))
        let expected = NetworkPolicy(metadata: Self.meta("codex-run"), spec: NetworkPolicySpec(
            podSelector: LabelSelector(), policyTypes: ["Ingress", "Egress"],
            ingress: [NetworkPolicyIngressRule(from: [NetworkPolicyPeer(podSelector: LabelSelector())])],
            egress: [
                NetworkPolicyEgressRule(to: [anywhere], ports: [NetworkPolicyPort(protocol: "UDP", port: 53),
                                                                NetworkPolicyPort(protocol: "TCP", port: 53)]),
                NetworkPolicyEgressRule(to: [anywhere], ports: [NetworkPolicyPort(protocol: "TCP", port: 80),
                                                                NetworkPolicyPort(protocol: "TCP", port: 443)]),
            ]))
        #expect(RunResources.networkPolicy(Self.plan) == expected)
    }

    @Test func theNamespaceCarriesTheSection6LabelsAndTheLease() {
        var labels = Self.labels
        labels["codex-k8s.dev/namespace-purpose"] = "run"
        #expect(RunResources.namespace(Self.plan) == Namespace(metadata: ObjectMeta(
            name: "codex-acme-shop-42-dev-123456", labels: labels,
            annotations: ["codex-k8s.dev/repository": "acme/shop", "codex-k8s.dev/lease-expires-at": "2027-01-15T08:00:00Z"])))
    }

    @Test func theOtherObjectsWhole() {
        let p = Self.plan
        #expect(RunResources.runNamespace(p) == RunNamespace(
            metadata: ObjectMeta(name: p.namespace, labels: Self.labels, annotations: ["codex-k8s.dev/repository": "acme/shop"]),
            spec: RunNamespaceSpec(repository: "acme/shop", issue: 42, stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(24))))
        #expect(RunResources.serviceAccount(p) == ServiceAccount(metadata: Self.meta("codex-agent"), automountServiceAccountToken: true))
        #expect(RunResources.roleBinding(p) == RoleBinding(
            metadata: Self.meta("codex-agent"),
            subjects: [Subject(kind: "ServiceAccount", name: "codex-agent", namespace: p.namespace)],
            roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "codex-k8s-agent-full-env")))
        #expect(RunResources.resourceQuota(p) == ResourceQuota(metadata: Self.meta("codex-run"),
                                                               spec: ResourceQuotaSpec(hard: OperatorConfig.defaults.quota.hard)))
        #expect(RunResources.limitRange(p) == LimitRange(metadata: Self.meta("codex-run"), spec: LimitRangeSpec(limits: [
            LimitRangeItem(type: "Container", max: ["cpu": "4", "memory": "8Gi"], default: ["cpu": "1", "memory": "2Gi"],
                           defaultRequest: ["cpu": "100m", "memory": "256Mi"]),
        ])))
        let source = Secret(metadata: ObjectMeta(name: "codex-agent-credentials", namespace: "codex-system", labels: ["x": "y"]),
                            type: "Opaque", data: ["openai-api-key": "c2VjcmV0"])
        #expect(RunResources.credentials(p, from: source) == Secret(metadata: Self.meta("codex-agent-credentials"), type: "Opaque",
                                                                    data: ["openai-api-key": "c2VjcmV0"]))
    }
}

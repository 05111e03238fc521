import KubeAPI
import Runs

/// The objects of one run as pure values (SPEC §5, §6): functions of a `RunPlan` only, so tests
/// compare them whole and the provisioner sends exactly these.
///
/// Contract: every object carries `RunLabels.objectLabels` (the Namespace also the §6 purpose
/// label and lease annotation); nothing here grants the agent access to a Secret except through
/// the Job's `secretKeyRef`s.
public enum RunResources {
    /// The run namespace (SPEC §6 labels and annotations).
    public static func namespace(_ p: RunPlan) -> Namespace {
        var labels = p.labels
        labels[RunLabels.purpose] = RunLabels.purposeRun
        return Namespace(metadata: ObjectMeta(name: p.namespace, labels: labels, annotations: [
            RunLabels.repositoryAnnotation: p.spec.repository,
            RunLabels.leaseAnnotation: p.leaseExpiresAt.rfc3339,
        ]))
    }

    /// The RunNamespace recording the namespace's key and lease policy.
    public static func runNamespace(_ p: RunPlan) -> RunNamespace {
        RunNamespace(metadata: ObjectMeta(name: p.namespace, labels: p.labels,
                                          annotations: [RunLabels.repositoryAnnotation: p.spec.repository]),
                     spec: RunNamespaceSpec(repository: p.spec.repository, issue: p.spec.issue, stage: p.spec.stage,
                                            role: p.spec.stage.role, mode: p.mode,
                                            ttl: p.config.ttl(for: p.spec.stage.role),
                                            retain: p.spec.isDebug ? true : nil))
    }

    /// The lease as recorded on the RunNamespace's status at creation (issue 11 renews it).
    public static func runNamespaceStatus(_ p: RunPlan, now: KubeTime) -> RunNamespaceStatus {
        RunNamespaceStatus(phase: .active, leaseExpiresAt: p.leaseExpiresAt, leaseRenewedAt: now, renewals: 0,
                           activeRuns: [p.runName], lastRun: p.runName)
    }

    /// `codex-agent`: its token is mounted only for full-env runs.
    public static func serviceAccount(_ p: RunPlan) -> ServiceAccount {
        ServiceAccount(metadata: p.meta(RunPlan.serviceAccountName), automountServiceAccountToken: p.mode == .fullEnv)
    }

    /// Binds `codex-agent` to the agent ClusterRole of the mode, by reference.
    public static func roleBinding(_ p: RunPlan) -> RoleBinding {
        RoleBinding(metadata: p.meta(RunPlan.serviceAccountName),
                    subjects: [Subject(kind: "ServiceAccount", name: RunPlan.serviceAccountName, namespace: p.namespace)],
                    roleRef: RoleRef(kind: "ClusterRole", name: p.mode.clusterRoleName))
    }

    public static func resourceQuota(_ p: RunPlan) -> ResourceQuota {
        ResourceQuota(metadata: p.meta(RunPlan.policyName), spec: ResourceQuotaSpec(hard: p.config.quota.hard))
    }

    public static func limitRange(_ p: RunPlan) -> LimitRange {
        let t = p.config.limitRange
        return LimitRange(metadata: p.meta(RunPlan.policyName), spec: LimitRangeSpec(limits: [
            LimitRangeItem(type: "Container", max: t.max, default: t.defaultLimits, defaultRequest: t.defaultRequests),
        ]))
    }

    /// The copy of the control namespace's credentials Secret: same type and data, our metadata.
    public static func credentials(_ p: RunPlan, from source: Secret) -> Secret {
        Secret(metadata: p.meta(RunPlan.credentialsSecretName), type: source.type, data: source.data ?? [:])
    }
}

import KubeAPI
import Runs

extension RunResources {
    /// The agent container's name.
    public static let containerName = "agent"

    /// The agent Job (SPEC §5): one pod, never retried (`backoffLimit: 0`, `restartPolicy: Never`),
    /// restricted pod security, credentials only through `secretKeyRef` to `codex-agent-credentials`,
    /// the run context in `CODEX_*`. No `activeDeadlineSeconds`: the timeout excludes waiting time,
    /// so the operator enforces it. Named after the run (a revise run in a reused namespace gets its own).
    public static func job(_ p: RunPlan) -> Job {
        let t = p.config.agent
        let o = p.spec.agent
        let restricted = SecurityContext(runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false,
                                         capabilities: Capabilities(drop: ["ALL"]),
                                         seccompProfile: SeccompProfile(type: "RuntimeDefault"))
        let container = Container(
            name: containerName, image: o?.image ?? t.image, imagePullPolicy: t.imagePullPolicy,
            command: o?.command ?? t.command, args: o?.args ?? t.args, env: env(p),
            resources: ResourceRequirements(limits: o?.resources?.limits ?? t.resources.limits,
                                            requests: o?.resources?.requests ?? t.resources.requests),
            securityContext: restricted)
        let pod = PodSpec(containers: [container], restartPolicy: "Never", serviceAccountName: RunPlan.serviceAccountName,
                          automountServiceAccountToken: p.mode == .fullEnv,
                          securityContext: PodSecurityContext(runAsNonRoot: true, seccompProfile: SeccompProfile(type: "RuntimeDefault")),
                          enableServiceLinks: false)
        return Job(metadata: p.meta(p.runName), spec: JobSpec(
            template: PodTemplateSpec(metadata: ObjectMeta(labels: p.labels), spec: pod), backoffLimit: 0))
    }

    /// `CODEX_*` first (fixed order), then the template's and the run's literal variables (a run's
    /// variable replaces the template's of the same name), then the credentials as `secretKeyRef`.
    static func env(_ p: RunPlan) -> [EnvVar] {
        let s = p.spec
        var out: [EnvVar] = [
            EnvVar(name: "CODEX_RUN", value: p.runName),
            EnvVar(name: "CODEX_REPOSITORY", value: s.repository),
            EnvVar(name: "CODEX_ISSUE", value: String(s.issue)),
            EnvVar(name: "CODEX_PULL_REQUEST", value: s.pullRequest.map(String.init) ?? ""),
            EnvVar(name: "CODEX_STAGE", value: s.stage.rawValue),
            EnvVar(name: "CODEX_REVISE", value: s.isRevise ? "true" : "false"),
            EnvVar(name: "CODEX_MODEL", value: p.model),
            EnvVar(name: "CODEX_REASONING", value: p.reasoning.rawValue),
            EnvVar(name: "CODEX_NAMESPACE", value: p.namespace),
            EnvVar(name: "CODEX_MODE", value: p.mode.rawValue),
        ]
        let overrides = s.agent?.env ?? []
        let overridden = Set(overrides.map(\.name))
        let credentialNames = Set(p.config.agent.credentials.env.map(\.name))
        for v in p.config.agent.env where !overridden.contains(v.name) && !credentialNames.contains(v.name) {
            out.append(EnvVar(name: v.name, value: v.value))
        }
        for v in overrides where !credentialNames.contains(v.name) { out.append(EnvVar(name: v.name, value: v.value)) }
        for c in p.config.agent.credentials.env {
            out.append(EnvVar(name: c.name, valueFrom: EnvVarSource(
                secretKeyRef: KeySelector(name: RunPlan.credentialsSecretName, key: c.key))))
        }
        return out
    }
}

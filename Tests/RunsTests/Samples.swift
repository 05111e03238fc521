import KubeAPI
import Runs

/// Objects with every field set, for round trips.
enum Samples {
    static let fullAgentRun = AgentRun(
        metadata: ObjectMeta(name: "acme-shop-42-dev-0123456789", namespace: "codex-system"),
        spec: AgentRunSpec(
            repository: "acme/shop", issue: 42, pullRequest: 43, stage: .dev, revise: true, mode: .fullEnv,
            model: "gpt-5", reasoning: .high, labels: [RunLabel(name: "run:dev:revise", scope: .pullRequest)],
            debug: true, timeout: .hours(2),
            agent: AgentOverrides(image: "img:1", command: ["codex"], args: ["exec"], env: [AgentEnvVar(name: "A", value: "b")],
                                  resources: AgentResources(requests: ["cpu": "500m"], limits: ["memory": "2Gi"])),
            cancel: false,
            trigger: RunTrigger(source: .github, deliveryID: "d-1", event: "pull_request_review", action: "submitted",
                                label: nil, sender: "octocat", receivedAt: KubeTime(rfc3339: "2026-01-02T03:04:05Z"))),
        status: AgentRunStatus(
            phase: .running, reason: .waitingForSlot, message: "m", model: "gpt-5", reasoning: .high,
            profileSource: ProfileSources(model: .pullRequest, reasoning: .previousRun), mode: .fullEnv,
            namespace: "codex-acme-shop-42-dev-abcdef", runNamespace: "codex-acme-shop-42-dev-abcdef", jobName: "agent",
            reusedNamespace: true, leaseExpiresAt: KubeTime(rfc3339: "2026-01-03T03:04:05Z"),
            startedAt: KubeTime(rfc3339: "2026-01-02T03:05:05Z"), finishedAt: KubeTime(rfc3339: "2026-01-02T04:05:05Z"),
            waitedSeconds: 60, observedGeneration: 2,
            conditions: [Condition(type: "Ready", status: "True", reason: "Running", message: "ok",
                                   lastTransitionTime: KubeTime(rfc3339: "2026-01-02T03:05:05Z"), observedGeneration: 2)]))

    static let fullRunNamespace = RunNamespace(
        metadata: ObjectMeta(name: "codex-acme-shop-42-dev-abcdef"),
        spec: RunNamespaceSpec(repository: "acme/shop", issue: 42, stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(24), retain: false),
        status: RunNamespaceStatus(phase: .active, leaseExpiresAt: KubeTime(rfc3339: "2026-01-03T03:04:05Z"),
                                   leaseRenewedAt: KubeTime(rfc3339: "2026-01-02T03:04:05Z"), renewals: 1,
                                   activeRuns: ["acme-shop-42-dev-0123456789"], lastRun: "acme-shop-42-dev-0123456789",
                                   conditions: [Condition(type: "Ready", status: "True")]))
}

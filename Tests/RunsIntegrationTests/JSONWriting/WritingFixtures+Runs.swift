import KubeAPI
import Runs

/// Fixtures of the codex-k8s CRDs' models, as `WritingFixtures`.
extension WritingFixtures {
    static let agentRunStatus = AgentRunStatus(
        phase: .running, reason: .waitingForSlot, message: tricky, model: "gpt-5-codex", reasoning: .extraHigh,
        profileSource: ProfileSources(model: .pullRequest, reasoning: .default), mode: .fullEnv, namespace: "run-ns",
        runNamespace: "run-ns", jobName: "agent", reusedNamespace: true, leaseExpiresAt: time, startedAt: time, finishedAt: time,
        waitedSeconds: 0, observedGeneration: 3, conditions: [condition],
        report: AgentRunReport(commentID: 9_000_000_001, targets: [ReportedState(target: .issueLabels, state: tricky)]))

    static let agentRun = AgentRun(
        metadata: meta,
        spec: AgentRunSpec(repository: "owner/repo", issue: 42, pullRequest: 43, stage: .docAudit, revise: true, mode: .codeOnly,
                           model: "m", reasoning: .low, labels: [RunLabel(name: "run:dev", scope: .pullRequest)], debug: true,
                           timeout: .hours(2), agent: AgentOverrides(image: "img", command: ["a"], args: ["b"],
                                                                     env: [AgentEnvVar(name: "N", value: tricky)],
                                                                     resources: AgentResources(requests: ["cpu": "1"], limits: ["memory": "2Gi"])),
                           cancel: false,
                           trigger: RunTrigger(source: .github, deliveryID: "d-1", event: "issues", action: "labeled", label: "run:dev",
                                               sender: "octocat", receivedAt: time)),
        status: agentRunStatus)
    static let minimalAgentRun = AgentRun(spec: AgentRunSpec(repository: "o/r", issue: 1, stage: .dev))

    static let runNamespace = RunNamespace(
        metadata: meta,
        spec: RunNamespaceSpec(repository: "owner/repo", issue: 42, stage: .selfImprove, role: .km, mode: .fullEnv,
                               ttl: RunDuration(seconds: 90_061), retain: true),
        status: RunNamespaceStatus(phase: .active, leaseExpiresAt: time, leaseRenewedAt: time, renewals: 2, activeRuns: ["r1", "r2"],
                                   lastRun: "r2", conditions: [condition]))
    static let minimalRunNamespace = RunNamespace(spec: RunNamespaceSpec(repository: "o/r", issue: 1, stage: .dev, role: .dev,
                                                                         mode: .codeOnly, ttl: .seconds(0)))
}

import Audit
import KubeAPI
import KubeClient
import Runs

extension AgentRunReconciler {
    /// Writes `status` through `/status` (one PUT conditional on the resourceVersion) unless it
    /// equals the current one; records the phase in the audit when it changed. Returns the run as
    /// written (or unchanged).
    @discardableResult
    func writeStatus(_ run: AgentRun, _ status: AgentRunStatus) async throws -> AgentRun {
        if run.status == status { return run }
        try beforeWrite("status of AgentRun \(run.metadata.name ?? "")")
        var updated = run
        updated.status = status
        let written = try await client.replaceStatus(updated)
        ledger.record(written, over: run.metadata.resourceVersion)
        if run.status?.phase != status.phase {
            logger.info("run \(run.metadata.name ?? "") is \(status.phase?.rawValue ?? "?")",
                        metadata: ["run": "\(run.metadata.name ?? "")", "reason": "\(status.reason?.rawValue ?? "")"])
            audit.recordRun(record(written))
        }
        return written
    }

    /// Emits an audit event about `run` (a Kubernetes Event on it and a log line, or a database row).
    func emit(_ event: AuditEvent, _ run: AgentRun) {
        let ref = ObjectReference(apiVersion: AgentRun.resource.apiVersion, kind: "AgentRun", namespace: run.metadata.namespace,
                                  name: run.metadata.name, uid: run.metadata.uid)
        audit.emit(event, subject: AuditSubject(run: run.metadata.name, repository: run.spec.repository,
                                                issue: Int(run.spec.issue), pullRequest: run.spec.pullRequest.map { Int($0) },
                                                regarding: ref),
                   actor: Self.actor)
    }

    func record(_ run: AgentRun) -> AgentRunRecord {
        let s = run.status
        return AgentRunRecord(name: run.metadata.name ?? "", uid: run.metadata.uid, repository: run.spec.repository,
                              issue: Int(run.spec.issue), pullRequest: run.spec.pullRequest.map { Int($0) },
                              stage: run.spec.stage.rawValue, revise: run.spec.isRevise, mode: s?.mode?.rawValue,
                              phase: s?.phase?.rawValue ?? "Pending", reason: s?.reason?.rawValue, model: s?.model,
                              reasoning: s?.reasoning?.rawValue, namespace: s?.namespace, jobName: s?.jobName,
                              debug: run.spec.isDebug, createdAt: run.metadata.creationTimestamp ?? now,
                              startedAt: s?.startedAt, finishedAt: s?.finishedAt, updatedAt: now)
    }

    /// The status of a run that ends now with `phase`/`reason`.
    func ended(_ run: AgentRun, _ phase: AgentRunPhase, _ reason: AgentRunReason, message: String?) -> AgentRunStatus {
        var status = run.status ?? AgentRunStatus()
        status.phase = phase
        status.reason = reason
        status.message = message
        status.finishedAt = now
        status.observedGeneration = run.metadata.generation
        if let since = waitingSince(run) {
            status.waitedSeconds = (status.waitedSeconds ?? 0) + max(0, Int64(now.secondsSince1970 - since.secondsSince1970))
        }
        var conditions = status.conditions ?? []
        RunCondition.set(&conditions, type: RunCondition.ready, status: false, reason: reason.rawValue, message: message,
                         generation: run.metadata.generation, now: now)
        status.conditions = conditions
        return status
    }

    /// When the current wait began (the Ready condition's transition), for a Waiting run.
    func waitingSince(_ run: AgentRun) -> KubeTime? {
        guard run.status?.phase == .waiting else { return nil }
        return run.status?.conditions?.first { $0.type == RunCondition.ready }?.lastTransitionTime
    }
}

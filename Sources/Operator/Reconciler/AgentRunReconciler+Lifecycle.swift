import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Runs

extension AgentRunReconciler {
    /// An admitted run: provision what is missing, then follow the Job and its pod (SPEC §5).
    func observe(_ run: AgentRun) async throws -> Action {
        let name = run.metadata.name ?? ""
        guard let plan = plan(of: run) else {
            logger.warning("run \(name) is \(run.status?.phase?.rawValue ?? "?") without a recorded namespace/profile; waiting for a change")
            return .awaitChange
        }
        var job = stores.jobs.get(ObjectKey(namespace: plan.namespace, name: plan.runName))
        if job == nil {
            if run.status?.phase == .provisioning {
                if !ledger.isProvisioned(name) {
                    var foreign: ForeignObject?
                    do {
                        try await provision(plan, reused: run.status?.reusedNamespace == true)
                    } catch {
                        guard let f = error as? ForeignObject else { throw error }
                        foreign = f
                    }
                    if let foreign {
                        try await end(run, .failed, .failedPrecondition, foreign.description, deleteJob: false)
                        return .awaitChange
                    }
                    emit(.namespacePrepared(namespace: plan.namespace, mode: plan.mode.rawValue,
                                            leaseExpiresAt: plan.leaseExpiresAt), run)
                }
                return .awaitChange // the Job's watch event reconciles again
            }
            do {
                job = try await client.get(Job.self, namespace: plan.namespace, name: plan.runName)
            } catch {
                guard error.isNotFound else { throw error }
                job = nil
            }
            if job == nil {
                try await end(run, .failed, .jobNotFound, "Job \(plan.namespace)/\(plan.runName) no longer exists", deleteJob: false)
                return .awaitChange
            }
        }
        let pods = stores.pods.objects(withLabel: RunLabels.run, value: name).filter { $0.metadata.namespace == plan.namespace }
        var current = run
        switch JobObserver.observe(job: job!, pods: pods) {
        case .succeeded:
            try await end(run, .succeeded, .completed, "the agent finished successfully", deleteJob: false)
            return .awaitChange
        case .failed(let reason, var message):
            // The pod cache can lag behind the Job's: read the pods once to report the container's message.
            if !pods.contains(where: { JobObserver.terminationMessage($0) != nil }),
               let live = try? await client.list(Pod.self, namespace: plan.namespace,
                                                 options: ListOptions(labelSelector: "\(RunLabels.run)=\(name)")).items,
               let text = live.lazy.compactMap(JobObserver.terminationMessage).first {
                message = text
            }
            try await end(run, .failed, reason, message, deleteJob: false)
            return .awaitChange
        case .stuck(let reason, let message, let reported, let key):
            let grace = Double(config.graces.containerConfigErrorGrace.seconds)
            let since = reported?.date ?? ledger.stuckSince(run: name, key: key, now: wallClock())
            let elapsed = wallClock().timeIntervalSince(since)
            if elapsed >= grace {
                try await end(run, .failed, reason, "\(message) (for more than \(config.graces.containerConfigErrorGrace))",
                              deleteJob: true)
                return .awaitChange
            }
            let pacing = try await pace(current)
            return earliest(pacing, .requeue(after: .milliseconds(Int64((grace - elapsed) * 1000) + 1)))
        case .starting:
            break
        case .running:
            if run.status?.phase == .provisioning {
                var status = run.status ?? AgentRunStatus()
                status.phase = .running
                status.reason = nil
                status.message = nil
                status.startedAt = now
                status.observedGeneration = run.metadata.generation
                var conditions = status.conditions ?? []
                RunCondition.set(&conditions, type: RunCondition.provisioned, status: true, reason: "Provisioned",
                                 generation: run.metadata.generation, now: now)
                RunCondition.set(&conditions, type: RunCondition.ready, status: true, reason: "Running",
                                 generation: run.metadata.generation, now: now)
                status.conditions = conditions
                current = try await writeStatus(run, status)
                emit(.runStarted(namespace: plan.namespace, jobName: plan.runName, model: plan.model,
                                 reasoning: plan.reasoning.rawValue), current)
            }
        }
        return try await pace(current)
    }

    /// Waiting (annotation `codex-k8s.dev/wait`) and the timeout of a Running or Waiting run:
    /// waiting stops the clock; the run times out when `startedAt` to now, minus `waitedSeconds`,
    /// reaches the timeout.
    func pace(_ run: AgentRun) async throws -> Action {
        var run = run
        let phase = run.status?.phase
        guard phase == .running || phase == .waiting else { return .awaitChange }
        let wanted = run.metadata.annotations?[RunLabels.waitAnnotation].flatMap(AuditEvent.WaitKind.init(rawValue:))
        let generation = run.metadata.generation
        if let wanted {
            let reason: AgentRunReason = wanted == .mcp ? .waitingMCP : .waitingOwnerReview
            var status = run.status ?? AgentRunStatus()
            status.phase = .waiting
            status.reason = reason
            status.message = "paused by annotation \(RunLabels.waitAnnotation)=\(wanted.rawValue); the timeout clock is stopped"
            status.observedGeneration = generation
            var conditions = status.conditions ?? []
            RunCondition.set(&conditions, type: RunCondition.ready, status: false, reason: reason.rawValue,
                             message: status.message, generation: generation, now: now)
            status.conditions = conditions
            let written = try await writeStatus(run, status)
            if phase == .running { emit(.runWaitPaused(wait: wanted), written) }
            return .awaitChange
        }
        if phase == .waiting {
            let since = waitingSince(run) ?? now
            let waited = max(0, Int64(now.secondsSince1970 - since.secondsSince1970))
            let kind: AuditEvent.WaitKind = run.status?.reason == .waitingMCP ? .mcp : .ownerReview
            var status = run.status ?? AgentRunStatus()
            status.phase = .running
            status.reason = nil
            status.message = nil
            status.waitedSeconds = (status.waitedSeconds ?? 0) + waited
            status.observedGeneration = generation
            var conditions = status.conditions ?? []
            RunCondition.set(&conditions, type: RunCondition.ready, status: true, reason: "Running",
                             generation: generation, now: now)
            status.conditions = conditions
            run = try await writeStatus(run, status)
            emit(.runWaitResumed(wait: kind, waitedSeconds: status.waitedSeconds ?? 0), run)
        }
        let timeout = run.spec.timeout ?? config.timeout(for: run.spec.stage)
        let started = run.status?.startedAt ?? now
        let waited = run.status?.waitedSeconds ?? 0
        let running = now.secondsSince1970 - started.secondsSince1970 - Double(waited)
        if running >= Double(timeout.seconds) {
            try await end(run, .failed, .deadlineExceeded,
                          "the run exceeded its timeout of \(timeout) (\(waited)s of waiting not counted)", deleteJob: true)
            return .awaitChange
        }
        return .requeue(after: .milliseconds(Int64((Double(timeout.seconds) - running) * 1000) + 1))
    }

    /// Cancel (`spec.cancel`) or deletion: deletes the Job (its pods with it) and ends a
    /// non-terminal run as Cancelled. Returns the run as last written.
    @discardableResult
    func finish(_ run: AgentRun, cancelReason: AgentRunReason) async throws -> AgentRun {
        if let plan = plan(of: run), stores.jobs.get(ObjectKey(namespace: plan.namespace, name: plan.runName)) != nil
            || (run.status?.phase?.isTerminal != true && ledger.isProvisioned(plan.runName)) {
            try await deleteJob(plan)
        }
        guard run.status?.phase?.isTerminal != true else { return run }
        let message = cancelReason == .deleted ? "the AgentRun was deleted" : "cancelled by spec.cancel"
        let written = try await writeStatus(run, ended(run, .cancelled, cancelReason, message: message))
        emit(.runCanceled(cause: cancelReason == .deleted ? "deleted" : "cancel_requested"), written)
        return written
    }

    /// Ends the run with a terminal phase, deleting its Job first when asked (timeout, back-off).
    func end(_ run: AgentRun, _ phase: AgentRunPhase, _ reason: AgentRunReason, _ message: String, deleteJob: Bool) async throws {
        if deleteJob, let plan = plan(of: run) { try await self.deleteJob(plan) }
        let written = try await writeStatus(run, ended(run, phase, reason, message: message))
        switch phase {
        case .succeeded:
            let started = run.status?.startedAt ?? now
            emit(.runSucceeded(durationSeconds: Int64(now.secondsSince1970 - started.secondsSince1970)), written)
        default:
            emit(.runFailed(reason: reason.rawValue, message: message), written)
        }
        requeuePending()
    }

    /// Deletes the run's Job with propagation Background (the garbage collector deletes its pods).
    func deleteJob(_ plan: RunPlan) async throws {
        try beforeWrite("delete Job \(plan.namespace)/\(plan.runName)")
        do {
            try await client.delete(Job.self, namespace: plan.namespace, name: plan.runName,
                                    options: DeleteOptions(propagationPolicy: .background))
        } catch {
            guard error.isNotFound else { throw error }
        }
    }

    func earliest(_ a: Action, _ b: Action) -> Action {
        switch (a, b) {
        case (.requeue(let x), .requeue(let y)): .requeue(after: min(x, y))
        case (.requeue, _): a
        default: b
        }
    }
}

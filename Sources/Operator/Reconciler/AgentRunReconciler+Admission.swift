import Audit
import KubeAPI
import KubeRuntime
import Runs

extension AgentRunReconciler {
    /// A new or Pending run: validate, resolve the profile (failing at once with
    /// `FailedPrecondition`, taking no slot), then admit it or record why it waits.
    func admit(_ run: AgentRun) async throws -> Action {
        let name = run.metadata.name ?? ""
        let invalid = RunValidation.validate(run)
        if !invalid.isEmpty {
            try await failPrecondition(run, message: invalid.map(\.description).joined(separator: "; "))
            return .awaitChange
        }
        let profile: ResolvedProfile
        switch ProfileResolution.resolve(profileRequest(run), catalog: config.profiles) {
        case .success(let p): profile = p
        case .failure(let errors):
            try await failPrecondition(run, message: errors.description)
            return .awaitChange
        }
        let decision = ledger.admission.withLock { _ -> SlotDecision in
            let d = slots.decision(for: name, limits: SlotLimits(maxActive: config.slots.maxActiveRuns,
                                                                 perRepository: config.slots.perRepository))
                ?? .waitingForSlot
            if d == .admit { ledger.reserve(name) }
            return d
        }
        var status = run.status ?? AgentRunStatus()
        let generation = run.metadata.generation
        status.observedGeneration = generation
        var conditions = status.conditions ?? []
        switch decision {
        case .queuedBehind(let blocker):
            status.phase = .pending
            status.reason = .queuedBehindActiveRun
            status.message = "waiting for AgentRun \(blocker) of the same repository and issue to finish"
        case .waitingForSlot:
            status.phase = .pending
            status.reason = .waitingForSlot
            status.message = "every slot is taken (maxActiveRuns \(config.slots.maxActiveRuns), perRepository \(config.slots.perRepository))"
        case .admit:
            var plan = RunPlan.make(run: run, profile: profile, config: config, now: now)
            var placement: RevisePlacement?
            if run.spec.isRevise {
                do {
                    placement = try await placeRevise(run, mode: plan.mode)
                } catch {
                    ledger.release(name)
                    throw error
                }
                if case .reused(let namespace, let lease)? = placement {
                    plan.namespace = namespace
                    plan.leaseExpiresAt = lease
                }
            }
            status.phase = .provisioning
            status.reason = nil
            status.message = nil
            status.model = profile.model.value
            status.reasoning = profile.reasoning.value
            status.profileSource = ProfileSources(model: profile.model.source, reasoning: profile.reasoning.source)
            status.mode = plan.mode
            status.namespace = plan.namespace
            status.runNamespace = plan.namespace
            status.jobName = plan.runName
            status.reusedNamespace = placement.map { if case .reused = $0 { true } else { false } } ?? false
            status.leaseExpiresAt = plan.leaseExpiresAt
            RunCondition.set(&conditions, type: RunCondition.admitted, status: true, reason: "Admitted",
                             generation: generation, now: now)
            status.conditions = conditions
            let written: AgentRun
            do {
                written = try await writeStatus(run, status)
            } catch {
                ledger.release(name)
                throw error
            }
            ledger.release(name)
            if let placement { emitPlacement(placement, written) }
            return try await observe(written)
        }
        RunCondition.set(&conditions, type: RunCondition.admitted, status: false, reason: status.reason!.rawValue,
                         message: status.message, generation: generation, now: now)
        status.conditions = conditions
        try await writeStatus(run, status)
        return .awaitChange
    }

    /// `run` as admission sees it, this process's writes and reservations included (nil: terminal
    /// or being deleted, no candidate).
    func candidate(_ run: AgentRun) -> SlotCandidate? {
        guard let name = run.metadata.name, run.metadata.deletionTimestamp == nil else { return nil }
        let phase = run.status?.phase
        if phase?.isTerminal == true { return nil }
        // A run that failed validation never reaches here as a candidate twice: it is terminal.
        let active = ledger.isReserved(name) || phase == .provisioning || phase == .running || phase == .waiting
        return SlotCandidate(name: name, repository: run.spec.repository.lowercased(), issue: run.spec.issue,
                             created: run.metadata.creationTimestamp?.secondsSince1970 ?? 0, active: active)
    }

    /// Recomputes the admission index's view of the runs `names` from the cache and the ledger.
    func refreshSlots(_ names: some Sequence<String>) {
        guard let runs = caches.withLock({ $0?.runs }) else { return }
        let namespace = config.controlNamespace
        slots.refresh(names) { name in
            runs.get(ObjectKey(namespace: namespace, name: name)).flatMap { candidate(ledger.current($0)) }
        }
    }

    /// SPEC §4 inputs: the spec's explicit values, the label snapshot, and the previous run of the
    /// same repository+issue (sticky).
    func profileRequest(_ run: AgentRun) -> ProfileRequest {
        let previous = stores.runs.objects(inIndex: RunIndexes.issue,
                                           value: RunIndexes.issueValue(repository: run.spec.repository, issue: run.spec.issue)).filter {
            $0.metadata.name != run.metadata.name && $0.spec.repository.lowercased() == run.spec.repository.lowercased()
                && $0.spec.issue == run.spec.issue && $0.status?.model != nil
                && ($0.metadata.creationTimestamp ?? now) <= (run.metadata.creationTimestamp ?? now)
        }.max { ($0.metadata.creationTimestamp ?? now, $0.metadata.name ?? "") < ($1.metadata.creationTimestamp ?? now, $1.metadata.name ?? "") }
        let reviewRevise = run.spec.isRevise && run.spec.trigger?.event == "pull_request_review"
        return ProfileRequest(model: run.spec.model, reasoning: run.spec.reasoning?.rawValue,
                              labels: LabelDecision(run.spec.labels ?? []), previousModel: previous?.status?.model,
                              previousReasoning: previous?.status?.reasoning, reviewRevise: reviewRevise)
    }

    /// Ends the run at once as Failed/`FailedPrecondition`: no slot, nothing created.
    func failPrecondition(_ run: AgentRun, message: String) async throws {
        var status = run.status ?? AgentRunStatus()
        status.phase = .failed
        status.reason = .failedPrecondition
        status.message = message
        status.finishedAt = now
        status.observedGeneration = run.metadata.generation
        var conditions = status.conditions ?? []
        RunCondition.set(&conditions, type: RunCondition.admitted, status: false, reason: AgentRunReason.failedPrecondition.rawValue,
                         message: message, generation: run.metadata.generation, now: now)
        RunCondition.set(&conditions, type: RunCondition.ready, status: false, reason: AgentRunReason.failedPrecondition.rawValue,
                         message: message, generation: run.metadata.generation, now: now)
        status.conditions = conditions
        try await writeStatus(run, status)
        emit(.runFailedPrecondition(reason: AgentRunReason.failedPrecondition.rawValue, message: message), run)
        requeuePending()
    }
}

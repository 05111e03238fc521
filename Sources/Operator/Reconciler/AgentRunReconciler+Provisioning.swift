import Audit
import KubeAPI
import KubeClient
import KubeRuntime
import Runs

/// An object exists under the name the operator needs, and it is not this run's.
struct ForeignObject: Error, CustomStringConvertible {
    var kind: String
    var name: String
    var description: String {
        "\(kind) \(name) already exists and was not created for this run (it lacks the labels \(RunLabels.managedBy)=\(RunLabels.managedByValue) and \(RunLabels.run)=<run>); delete or rename it"
    }
}

extension AgentRunReconciler {
    /// The plan of an admitted run, rebuilt from its status (the namespace, mode, profile and lease
    /// recorded at admission), so a restarted operator provisions exactly what it began.
    func plan(of run: AgentRun) -> RunPlan? {
        guard let s = run.status, let namespace = s.namespace, let mode = s.mode, let model = s.model,
              let reasoning = s.reasoning, let lease = s.leaseExpiresAt, let name = run.metadata.name else { return nil }
        return RunPlan(runName: name, controlNamespace: run.metadata.namespace ?? config.controlNamespace, spec: run.spec,
                       namespace: namespace, mode: mode, model: model, reasoning: reasoning, leaseExpiresAt: lease,
                       config: config)
    }

    /// Creates every object of the run, in dependency order, the Job last. Each create is
    /// idempotent: AlreadyExists of an object labelled for this run is success, of another's is a
    /// `ForeignObject` error. Inside a namespace verified as this run's, the Secret copy is not read
    /// back (the operator cannot read Secrets outside the control namespace, and nobody else can
    /// create one there: the agent roles grant nothing on secrets).
    ///
    /// `reused`: the namespace is a revise's reused one — the RunNamespace and Namespace are not
    /// created, and the objects already in it are accepted when labelled for the same issue+stage.
    func provision(_ plan: RunPlan, reused: Bool = false) async throws {
        let secretName = config.agent.credentials.secretName
        guard let source = stores.secrets.get(ObjectKey(namespace: plan.controlNamespace, name: secretName)) else {
            throw OperatorError.missingCredentials(namespace: plan.controlNamespace, name: secretName)
        }
        // A reused namespace (revise, SPEC §6): its RunNamespace was renewed and its Namespace checked
        // at admission; the objects in it were made by an earlier run of the same key.
        let owner: RunLabels.Owner = reused ? .key(issue: plan.spec.issue, stage: plan.spec.stage) : .run(plan.runName)
        if !reused {
            let rns = try await ensure(RunResources.runNamespace(plan), owner: owner)
            if rns.status == nil {
                var withStatus = rns
                withStatus.status = RunResources.runNamespaceStatus(plan, now: now)
                try beforeWrite("status of RunNamespace \(plan.namespace)")
                try await client.replaceStatusDiscardingResult(withStatus)
            }
            try await ensureCreated(RunResources.namespace(plan), owner: owner)
        }
        try await ensureCreated(RunResources.serviceAccount(plan), owner: owner)
        try await ensureCreated(RunResources.roleBinding(plan), owner: owner)
        try await ensureCreated(RunResources.resourceQuota(plan), owner: owner)
        try await ensureCreated(RunResources.limitRange(plan), owner: owner)
        try await ensureCreated(RunResources.networkPolicy(plan), owner: owner)
        try await ensureCreated(RunResources.credentials(plan, from: source), owner: owner, readBack: false)
        try await ensureCreated(RunResources.job(plan), owner: .run(plan.runName))
        ledger.markProvisioned(plan.runName)
    }

    /// Creates `object`; on AlreadyExists reads it back (unless `readBack` is false) and accepts it
    /// only when it is labelled for `owner`. Returns the object as the API answered.
    @discardableResult
    func ensure<T: KubeResource>(_ object: T, owner: RunLabels.Owner, readBack: Bool = true) async throws -> T {
        try beforeWrite("create \(T.resource.kind) \(object.metadata.name ?? "")")
        do {
            return try await client.create(object)
        } catch {
            return try await acceptExisting(object, after: error, owner: owner, readBack: readBack)
        }
    }

    /// `ensure` for an object whose created form the reconciler does not read: the create's answer
    /// is not decoded (the same write, the same AlreadyExists handling).
    func ensureCreated<T: KubeResource>(_ object: T, owner: RunLabels.Owner, readBack: Bool = true) async throws {
        try beforeWrite("create \(T.resource.kind) \(object.metadata.name ?? "")")
        do {
            try await client.createDiscardingResult(object)
        } catch {
            try await acceptExisting(object, after: error, owner: owner, readBack: readBack)
        }
    }

    /// After a failed create: AlreadyExists of an object labelled for `owner` is success (read back
    /// unless `readBack` is false), of anyone else's a `ForeignObject`; other errors are rethrown.
    @discardableResult
    private func acceptExisting<T: KubeResource>(_ object: T, after error: KubeError, owner: RunLabels.Owner,
                                                 readBack: Bool) async throws -> T {
        guard error.isAlreadyExists else { throw error }
        guard readBack else { return object }
        let name = object.metadata.name ?? ""
        let existing = try await client.get(T.self, namespace: object.metadata.namespace, name: name)
        guard owner.owns(existing.metadata.labels) else {
            throw ForeignObject(kind: T.resource.kind, name: object.metadata.namespace.map { "\($0)/\(name)" } ?? name)
        }
        return existing
    }
}

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
    func provision(_ plan: RunPlan) async throws {
        let secretName = config.agent.credentials.secretName
        guard let source = stores.secrets.get(ObjectKey(namespace: plan.controlNamespace, name: secretName)) else {
            throw OperatorError.missingCredentials(namespace: plan.controlNamespace, name: secretName)
        }
        let rns = try await ensure(RunResources.runNamespace(plan), run: plan.runName)
        if rns.status == nil {
            var withStatus = rns
            withStatus.status = RunResources.runNamespaceStatus(plan, now: now)
            try beforeWrite("status of RunNamespace \(plan.namespace)")
            _ = try await client.replaceStatus(withStatus)
        }
        try await ensure(RunResources.namespace(plan), run: plan.runName)
        try await ensure(RunResources.serviceAccount(plan), run: plan.runName)
        try await ensure(RunResources.roleBinding(plan), run: plan.runName)
        try await ensure(RunResources.resourceQuota(plan), run: plan.runName)
        try await ensure(RunResources.limitRange(plan), run: plan.runName)
        try await ensure(RunResources.networkPolicy(plan), run: plan.runName)
        try await ensure(RunResources.credentials(plan, from: source), run: plan.runName, readBack: false)
        try await ensure(RunResources.job(plan), run: plan.runName)
        ledger.markProvisioned(plan.runName)
    }

    /// Creates `object`; on AlreadyExists reads it back (unless `readBack` is false) and accepts it
    /// only when it is labelled for `run`.
    @discardableResult
    func ensure<T: KubeResource>(_ object: T, run: String, readBack: Bool = true) async throws -> T {
        let name = object.metadata.name ?? ""
        try beforeWrite("create \(T.resource.kind) \(name)")
        do {
            return try await client.create(object)
        } catch {
            guard error.isAlreadyExists else { throw error }
            guard readBack else { return object }
            let existing = try await client.get(T.self, namespace: object.metadata.namespace, name: name)
            guard RunLabels.isOurs(existing.metadata.labels, run: run) else {
                throw ForeignObject(kind: T.resource.kind, name: object.metadata.namespace.map { "\($0)/\(name)" } ?? name)
            }
            return existing
        }
    }
}

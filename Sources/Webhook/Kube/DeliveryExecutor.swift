import KubeAPI
import KubeClient
import Logging
import Runs

/// What carrying out a plan did.
public enum ExecutionOutcome: Sendable, Hashable {
    case created(run: String)
    /// `reason`: `delivery_already_processed` (same delivery id) or `active_run_exists` (same trigger).
    case duplicate(run: String, reason: String)
    case cancelled(runs: [String])
    case nothingToCancel
    /// Kubernetes could not be reached or refused for a transient reason; nothing was created.
    case unavailable(String)
    /// The run built from the delivery breaks a CRD rule (the delivery's fields are out of range).
    case invalid(String)
}

/// Carries out `create` and `cancel` plans against the apiserver (SPEC §4).
///
/// Exactly-once creation:
/// 1. The AgentRun name derives from the delivery id (`RunNames.agentRun`), so a redelivery's
///    create fails with AlreadyExists → duplicate, in any replica, at any time.
/// 2. A trigger equal to an active run (same repository, issue, stage, revise; not terminal, not
///    cancel-requested) is a duplicate, read from memory — no API call: the watch cache, plus
///    `OwnCreates`, the runs this process created that the cache has not seen yet; checked again
///    inside a per-trigger in-process lock right before the create. Within one replica two
///    deliveries of one trigger therefore never both create, however far the cache lags. Across
///    replicas the window is the watch latency (milliseconds): a second run that slips through is
///    queued by the operator (`QueuedBehindActiveRun`, one active run per issue), never run in
///    parallel. `confirmsWithList` narrows that window to LIST→CREATE for callers off the hot path.
/// 3. Nothing is written before these checks; the create is the only write, so a failure leaves
///    nothing half-done and answers 503 (GitHub can redeliver).
public struct DeliveryExecutor: Sendable {
    public let client: KubeClient
    public let namespace: String
    public let cache: AgentRunCache
    public let locks: TriggerLocks
    public let leaseEnding: any IssueLeaseEnding
    public let closeGrace: RunDuration
    /// Also asks the apiserver (one LIST selected by the trigger label, a quorum read) right before
    /// each create: for callers off the hot path that race another process's creates (the
    /// operator's missed-webhook resync against the adapter). The adapter does not: per delivery
    /// it reads memory only (issue 12).
    public let confirmsWithList: Bool
    let logger: Logger

    public init(client: KubeClient, namespace: String, cache: AgentRunCache, locks: TriggerLocks = TriggerLocks(),
                leaseEnding: any IssueLeaseEnding = LeaseEndingNotImplemented(), closeGrace: RunDuration,
                confirmsWithList: Bool = false, logger: Logger = Logger(label: "codex-k8s.webhook")) {
        // Creates are never retried by KubeClient (they may have executed); reads and patches are.
        self.client = client.with(requestTimeout: .seconds(10), retryPolicy: RetryPolicy(maxAttempts: 2))
        self.namespace = namespace
        self.cache = cache
        self.locks = locks
        self.leaseEnding = leaseEnding
        self.closeGrace = closeGrace
        self.confirmsWithList = confirmsWithList
        self.logger = logger
    }

    public func create(_ spec: AgentRunSpec, deliveryID: String) async -> ExecutionOutcome {
        let name = RunNames.agentRun(repository: spec.repository, issue: spec.issue, stage: spec.stage, revise: spec.isRevise,
                                     deliveryID: deliveryID)
        let key = TriggerKey(spec)
        // Created with the operator's finalizer already on (as Kubernetes' PVC protection admission
        // adds its own at creation): the operator then skips its finalizer patch — one API write
        // less per run (docs/performance.md, RequestBudgetTests).
        var run = AgentRun(metadata: ObjectMeta(name: name, namespace: namespace, labels: [
            WebhookLabels.managedBy: WellKnown.managedByValue, WebhookLabels.trigger: key.labelValue,
            WebhookLabels.issue: String(spec.issue),
        ], finalizers: [WellKnown.cleanupFinalizer]), spec: spec)
        if let pr = spec.pullRequest { run.metadata.labels?[WebhookLabels.pullRequest] = String(pr) }
        let problems = RunValidation.validate(run)
        if !problems.isEmpty { return .invalid(problems.map(\.description).joined(separator: "; ")) }
        guard cache.isSynced else { return .unavailable("agentrun cache not synced") }
        if cache.get(name: name, namespace: namespace) != nil { return .duplicate(run: name, reason: "delivery_already_processed") }
        if let active = cache.activeRuns(key).first { return Self.duplicate(active, name) }
        let client = self.client, logger = self.logger, cache = self.cache, toCreate = run, confirm = confirmsWithList, namespace = self.namespace
        return await locks.locked(key) { () -> ExecutionOutcome in
            // Re-checked under the lock: the cache may have moved while this delivery waited, and
            // a run this process created moments ago may not be in it yet (`OwnCreates`).
            if let active = cache.activeRuns(key).first { return Self.duplicate(active, name) }
            if let pending = cache.ownCreates.pending(key) {
                return .duplicate(run: pending, reason: pending == name ? "delivery_already_processed" : "active_run_exists")
            }
            cache.ownCreates.begin(name: name, key: key)
            var created = false
            defer { cache.ownCreates.finish(name: name, created: created) }
            do {
                if confirm {
                    let existing = try await client.list(AgentRun.self, namespace: namespace,
                                                         options: ListOptions(labelSelector: "\(WebhookLabels.trigger)=\(key.labelValue)"))
                    if let active = existing.items.first(where: { AgentRunCache.isActive($0) && TriggerKey($0.spec) == key }) {
                        return Self.duplicate(active, name)
                    }
                }
                // The answer is not decoded: the run reaches the cache through the watch.
                try await client.createDiscardingResult(toCreate)
                created = true
                return .created(run: name)
            } catch let error as KubeError where error.isAlreadyExists {
                return .duplicate(run: name, reason: "delivery_already_processed")
            } catch let error as KubeError {
                if case .invalid = error { return .invalid(error.description) }
                logger.warning("agentrun create failed", metadata: ["run": .string(name), "error": .string(error.description)])
                return .unavailable(error.description)
            } catch {
                return .unavailable(String(describing: error))
            }
        }
    }

    static func duplicate(_ active: AgentRun, _ name: String) -> ExecutionOutcome {
        let existing = active.metadata.name ?? name
        return .duplicate(run: existing, reason: existing == name ? "delivery_already_processed" : "active_run_exists")
    }

    /// Sets `spec.cancel: true` on every active run of `target` (from the cache; a merge patch is
    /// idempotent), then ends the issue's leases when asked. Any failure → `unavailable` (what was
    /// done stays done and a redelivery finishes the rest).
    public func cancel(_ target: CancelTarget, repository: String, endLeasesOfIssue issue: Int64?) async -> ExecutionOutcome {
        guard cache.isSynced else { return .unavailable("agentrun cache not synced") }
        var cancelled: [String] = []
        for name in cache.activeRuns(target).compactMap(\.metadata.name) {
            switch await requestCancel(name) {
            case .some(let failure): return .unavailable(failure)
            case .none: cancelled.append(name)
            }
        }
        if let issue {
            do {
                try await leaseEnding.endLeases(repository: repository, issue: issue, after: closeGrace)
            } catch {
                return .unavailable(String(describing: error))
            }
        }
        return cancelled.isEmpty ? .nothingToCancel : .cancelled(runs: cancelled)
    }

    /// Sets `spec.cancel: true`; nil on success (or when the run is gone), else the failure.
    func requestCancel(_ name: String) async -> String? {
        do {
            _ = try await client.patch(AgentRun.self, namespace: namespace, name: name, .merge(["spec": ["cancel": true]]))
            return nil
        } catch {
            return error.isNotFound ? nil : error.description
        }
    }
}

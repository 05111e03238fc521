import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs
import Synchronization

/// The caches the RunNamespace reconciler reads (filled by `NamespaceLeaseRuntime`'s watches).
public struct NamespaceLeaseCaches: Sendable {
    public var runNamespaces: Store<RunNamespace>
    public var namespaces: Store<Namespace>
    public var runs: Store<AgentRun>

    public init(runNamespaces: Store<RunNamespace>, namespaces: Store<Namespace>, runs: Store<AgentRun>) {
        self.runNamespaces = runNamespaces
        self.namespaces = namespaces
        self.runs = runs
    }
}

/// The RunNamespace reconciler (SPEC §6): keeps each RunNamespace's status and its Namespace's
/// `codex-k8s.dev/lease-expires-at` annotation equal to what `LeasePolicy` decides, re-queues the
/// key exactly at the moment the decision changes (no polling), and expires the namespace when
/// its lease has ended.
///
/// Guarantees:
/// - Scope: only RunNamespaces named `<namespacePrefix>-…` are touched (one operator per prefix).
/// - Never expires while an AgentRun using the namespace is non-terminal (`LeasePolicy` rule 1).
/// - Writes only on change: a reconcile of an unchanged namespace makes no API write.
/// - Expiry re-reads the RunNamespace from the API (not the cache), decides again on what it read,
///   and claims it with a status write conditional on that resourceVersion (phase `Expired`) before
///   anything is deleted: a concurrent renewal (revise reuse) makes the claim fail with a conflict
///   and nothing is deleted. Then the Namespace is deleted, the status becomes `Terminating`, and the
///   RunNamespace is deleted once the Namespace is gone (audit `run.namespace.cleaned`).
/// - Nothing of ours inside the run namespace carries a finalizer; neither does the RunNamespace.
public final class RunNamespaceReconciler: Sendable {
    public let client: KubeClient
    public let config: OperatorConfig
    let caches: Mutex<NamespaceLeaseCaches?>
    let audit: any AuditSink
    let wallClock: @Sendable () -> Date
    let beforeWrite: @Sendable (String) throws -> Void
    let logger: Logger
    /// Where tests suspend an expiry between its re-read and its claim (`FaultPoints`).
    public let faultPoints = FaultPoints()
    /// The AgentRun reconciler's own writes over a cached run (`RunLedger.current`), when both
    /// controllers share one process and cache (`NamespaceLeaseRuntime(sharing: OperatorRuntime)`).
    /// Boxed: a bare optional closure in a `Mutex` gains two reabstraction thunks per `withLock`.
    let written = Mutex<RunOverlay?>(nil)
    struct RunOverlay: Sendable { let current: @Sendable (AgentRun) -> AgentRun }
    static let actor = "codex-k8s-operator"

    /// - Parameters:
    ///   - wallClock: the time of every decision and timestamp (tests inject theirs).
    ///   - beforeWrite: called with a description before every API write (fault injection).
    public init(client: KubeClient, config: OperatorConfig, audit: any AuditSink,
                wallClock: @escaping @Sendable () -> Date = { Date() },
                beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                logger: Logger = Logger(label: "codex-k8s.namespaces")) {
        self.client = client
        self.config = config
        self.audit = audit
        self.wallClock = wallClock
        self.beforeWrite = beforeWrite
        self.caches = Mutex(nil)
        self.logger = logger
    }

    /// Connects the caches (done once by `NamespaceLeaseRuntime`).
    public func attach(_ caches: NamespaceLeaseCaches) {
        RunIndexes.register(on: caches.runs)
        RunIndexes.register(onRunNamespaces: caches.runNamespaces)
        self.caches.withLock { $0 = caches }
    }

    /// The cached AgentRuns whose `status.namespace` is `name`.
    func runs(using name: String) -> [AgentRun] { stores.runs.objects(inIndex: RunIndexes.namespace, value: name) }

    /// The cached AgentRuns of the RunNamespace's repository+issue (supersession candidates).
    func runs(ofIssueOf rns: RunNamespace) -> [AgentRun] {
        stores.runs.objects(inIndex: RunIndexes.issue,
                            value: RunIndexes.issueValue(repository: rns.spec.repository, issue: rns.spec.issue))
    }

    var stores: NamespaceLeaseCaches { caches.withLock { $0! } }
    var now: KubeTime { KubeTime(wallClock(), precision: .seconds) }

    /// Whether this operator manages the RunNamespace (or Namespace) named `name`.
    public func inScope(_ name: String) -> Bool { RunNamespaceScope(config).allows(name: name) }

    public func reconcile(_ key: ObjectKey) async throws -> Action {
        guard inScope(key.name), let rns = stores.runNamespaces.get(key), rns.metadata.deletionTimestamp == nil else {
            return .awaitChange
        }
        switch rns.status?.phase {
        case .expired?, .terminating?: return try await finishExpiry(rns)
        case nil, .provisioning?: return .awaitChange // the AgentRun reconciler is still creating it
        default: break
        }
        let state = leaseState(rns)
        let decision = LeasePolicy.decide(state, now: now, graces: config.graces)
        var status = rns.status ?? RunNamespaceStatus()
        switch decision {
        case .hold(let active):
            status.phase = .active
            status.activeRuns = active
            try await write(rns, status)
            // The recorded lease (a revise's renewal moved it); a stale cache mirrors an older one
            // for a moment, and the newer version's event brings the key back.
            if let lease = status.leaseExpiresAt { try await mirror(lease, on: key.name) }
            return .awaitChange
        case .requeue(let at, let phase, _):
            if try await activeButUnseen(rns) != nil {
                // A run that started in it is not in the cache yet: change nothing; its event comes
                // (and if it never names this namespace, the re-check a minute later frees it).
                let end = rns.status?.leaseExpiresAt ?? at
                return .requeue(after: .seconds(min(max(1, end.secondsSince1970 - now.secondsSince1970), 60)))
            }
            let lease = LeasePolicy.leaseEnd(state, graces: config.graces)
            status.phase = phase
            status.activeRuns = []
            status.leaseExpiresAt = lease.at
            status.lastRun = lastRun(of: rns, current: status.lastRun)
            let written = try await write(rns, status)
            try await mirror(lease.at, on: key.name)
            if rns.status?.leaseExpiresAt != lease.at || rns.status?.activeRuns?.isEmpty == false {
                emit(.namespaceTTLScheduled(namespace: key.name, leaseExpiresAt: lease.at, cause: lease.cause.rawValue), written)
                if lease.cause == .superseded, let by = superseding(rns) {
                    emit(.namespaceSuperseded(namespace: key.name, supersededBy: by, leaseExpiresAt: lease.at), written)
                }
            }
            if phase == .retained, rns.status?.phase != .retained {
                emit(.namespaceCleanupSkipped(namespace: key.name, reason: "debug_label_present", retainUntil: at), written)
            }
            return .requeue(after: .seconds(max(0, at.secondsSince1970 - now.secondsSince1970)))
        case .expire:
            return try await expire(key)
        }
    }

    /// The lease inputs of `rns` from the caches: the AgentRuns whose `status.namespace` names it.
    func leaseState(_ rns: RunNamespace) -> LeaseState {
        let name = rns.metadata.name ?? ""
        let mine = runs(using: name)
        let renewed = rns.status?.leaseRenewedAt ?? now
        return LeaseState(
            mode: rns.spec.mode, retain: rns.spec.retain ?? false,
            retainedSince: mine.compactMap { $0.status?.finishedAt }.max() ?? renewed,
            leaseExpiresAt: rns.status?.leaseExpiresAt ?? renewed.adding(seconds: Double(rns.spec.ttl.seconds)),
            runs: mine.map(LeaseRunUse.init),
            supersededAt: LeasePolicy.supersededAt(namespace: name, repository: rns.spec.repository, issue: rns.spec.issue,
                                                   stage: rns.spec.stage, since: renewed, runs: runs(ofIssueOf: rns)),
            renewedAt: rns.status?.leaseRenewedAt,
            closedEnd: mine.compactMap { IssueClosure.recorded($0.metadata.annotations, defaultGrace: config.graces.closeGrace) }
                .filter { $0.closedAt >= renewed }.map(\.end).min())
    }

    /// The run whose admission superseded `rns` (see `LeasePolicy.superseding`), from the caches.
    func superseding(_ rns: RunNamespace) -> String? {
        LeasePolicy.superseding(namespace: rns.metadata.name ?? "", repository: rns.spec.repository, issue: rns.spec.issue,
                                stage: rns.spec.stage, since: rns.status?.leaseRenewedAt ?? now, runs: runs(ofIssueOf: rns))?.run
    }

    /// The newest AgentRun (by creation, then name) whose `status.namespace` names `rns`, never
    /// older than `current` (the recorded last run): a revise that just renewed the namespace is
    /// its last run before the cache shows the run's status (or the run at all).
    func lastRun(of rns: RunNamespace, current: String?) -> String? {
        let epoch = KubeTime(secondsSince1970: 0)
        let order: (AgentRun) -> (KubeTime, String) = { ($0.metadata.creationTimestamp ?? epoch, $0.metadata.name ?? "") }
        let newest = runs(using: rns.metadata.name ?? "").max { order($0) < order($1) }
        guard let current else { return newest?.metadata.name }
        guard let recorded = stores.runs.get(ObjectKey(namespace: config.controlNamespace, name: current)) else { return current }
        guard let newest, order(newest) > order(recorded) else { return current }
        return newest.metadata.name
    }

    /// One PUT of `/status` conditional on the resourceVersion, only when `status` differs.
    @discardableResult
    func write(_ rns: RunNamespace, _ status: RunNamespaceStatus) async throws -> RunNamespace {
        if rns.status == status { return rns }
        try beforeWrite("status of RunNamespace \(rns.metadata.name ?? "")")
        var updated = rns
        updated.status = status
        return try await client.replaceStatus(updated)
    }

    /// Sets the Namespace's lease annotation to `lease` (merge patch) unless it already says so.
    func mirror(_ lease: KubeTime, on name: String) async throws {
        guard let ns = stores.namespaces.get(ObjectKey(namespace: nil, name: name)), ns.metadata.deletionTimestamp == nil,
              ns.metadata.annotations?[RunLabels.leaseAnnotation] != lease.rfc3339 else { return }
        try beforeWrite("lease annotation of Namespace \(name)")
        let patch = Patch.merge(.object([
            "metadata": .object(["annotations": .object([RunLabels.leaseAnnotation: .string(lease.rfc3339)])]),
        ]))
        do {
            _ = try await client.patch(Namespace.self, name: name, patch)
        } catch {
            // Not created yet or already gone: nothing to mirror.
            if !error.isNotFound { throw error }
        }
    }

    /// Emits an audit event about the namespace, regarding its last AgentRun (Events on the run).
    func emit(_ event: AuditEvent, _ rns: RunNamespace) {
        let run = rns.status?.lastRun
        let ref = run.map {
            ObjectReference(apiVersion: AgentRun.resource.apiVersion, kind: "AgentRun", namespace: config.controlNamespace, name: $0)
        }
        audit.emit(event, subject: AuditSubject(run: run, repository: rns.spec.repository, issue: Int(rns.spec.issue),
                                                regarding: ref),
                   actor: Self.actor)
    }
}

import KubeAPI
import Runs

/// What one sweep reads (SPEC §6): the managed Namespaces (label `managed-by=codex-k8s`; the scope
/// rules are applied by the planner, not by the list), every RunNamespace, and the AgentRuns of the
/// control namespace. From the informer caches in the operator, from one paginated list each in
/// `codex-k8s sweep`.
public struct SweepInventory: Sendable {
    public var namespaces: [Namespace]
    public var runNamespaces: [RunNamespace]
    public var runs: [AgentRun]

    public init(namespaces: [Namespace], runNamespaces: [RunNamespace], runs: [AgentRun]) {
        self.namespaces = namespaces
        self.runNamespaces = runNamespaces
        self.runs = runs
    }
}

/// Why an item is in the sweep's report.
public enum SweepReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// A managed namespace without a RunNamespace (e.g. a crash between the two creates).
    case orphaned
    /// The RunNamespace's recorded lease has passed (the reconciler missed it, or holds it).
    case leaseExpired = "lease_expired"
    /// The namespace is being deleted and is not gone yet (never forced; reported).
    case terminating
    /// A finished AgentRun older than `finishedRunRetention`.
    case finishedRun = "finished_run"
}

/// What the sweep does about an item.
public enum SweepAction: String, Sendable, Hashable, CaseIterable, Codable {
    /// DELETE the orphaned Namespace or the finished AgentRun (UID precondition).
    case delete
    /// Hand the namespace to the RunNamespace expiry path (re-read, claim, delete in order).
    case expire
    /// Report only (a namespace stuck Terminating: its blocking finalizers and conditions).
    case report
    /// Leave it, for `skip`'s reason.
    case skip
}

/// Why an item is left alone (the `reason` label of `codex_sweep_skips_total`).
public enum SweepSkip: String, Sendable, Hashable, CaseIterable, Codable {
    /// An orphan younger than `sweep.orphanGrace`.
    case orphanGrace = "orphan_grace"
    /// A non-terminal AgentRun uses the namespace.
    case runActive = "run_active"
    /// A debug (`spec.retain`) namespace within `debugMaxRetention`.
    case debugRetained = "debug_retained"
    /// The recorded lease passed but the lease rules put its end later (renewed, not yet written).
    case leaseNotEnded = "lease_not_ended"
    /// The RunNamespace is still being provisioned by the AgentRun reconciler.
    case provisioning
}

/// One line of the sweep's report.
public struct SweepItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case namespace = "Namespace"
        case agentRun = "AgentRun"
    }

    public var kind: Kind
    public var name: String
    public var uid: String?
    public var reason: SweepReason
    public var action: SweepAction
    public var skip: SweepSkip?
    /// Seconds since the namespace was created (for a run: since it finished); `nil` if unknown.
    public var ageSeconds: Int64?
    /// The lease end (RunNamespace status, else the Namespace annotation).
    public var lease: KubeTime?
    /// When a skipped orphan becomes due.
    public var due: KubeTime?
    /// What else a reader needs: the lease end cause, the blocking finalizers and conditions.
    public var detail: String

    public init(kind: Kind, name: String, uid: String? = nil, reason: SweepReason, action: SweepAction,
                skip: SweepSkip? = nil, ageSeconds: Int64? = nil, lease: KubeTime? = nil, due: KubeTime? = nil,
                detail: String = "") {
        self.kind = kind
        self.name = name
        self.uid = uid
        self.reason = reason
        self.action = action
        self.skip = skip
        self.ageSeconds = ageSeconds
        self.lease = lease
        self.due = due
        self.detail = detail
    }
}

/// The sweep's decisions (SPEC §6), pure: a function of the inventory, the clock and the config.
///
/// Rules, per namespace name in scope (`RunNamespaceScope`; nothing out of scope ever appears):
/// 1. Terminating Namespace → `report` (its `spec.finalizers` and the True conditions that block it);
///    never forced, never re-deleted.
/// 2. No RunNamespace → orphan: `skip(run_active)` if a non-terminal AgentRun's `status.namespace`
///    names it; else `delete` once `creationTimestamp + orphanGrace <= now`, `skip(orphan_grace)` before.
/// 3. RunNamespace `Expired`/`Terminating` (an expiry that did not finish) → `expire`.
/// 4. RunNamespace whose recorded `status.leaseExpiresAt <= now` → the lease rules decide again
///    (`leaseDecision`): ended → `expire`; else `skip` (run active, debug retained, not ended).
/// 5. Everything else is live and not listed (no cost per live namespace beyond a dictionary lookup).
/// And per AgentRun of the control namespace: terminal with `finishedAt + finishedRunRetention <= now`
/// → `delete`.
///
/// `delete` and `expire` are the only destructive actions, and only rules 2–4 produce them; the
/// executor re-checks each against the API before it writes.
public enum SweepPlanner {
    public static func plan(_ inventory: SweepInventory, now: KubeTime, config: OperatorConfig,
                            leaseDecision: (RunNamespace) -> LeaseDecision) -> [SweepItem] {
        let scope = RunNamespaceScope(config)
        var records: [String: RunNamespace] = [:]
        records.reserveCapacity(inventory.runNamespaces.count)
        for rns in inventory.runNamespaces {
            if let name = rns.metadata.name, scope.allows(name: name) { records[name] = rns }
        }
        var activeUse: Set<String> = []
        for run in inventory.runs where !(run.status?.phase?.isTerminal ?? false) {
            if let ns = run.status?.namespace { activeUse.insert(ns) }
        }
        var items: [SweepItem] = []
        // Every listed name: a RunNamespace whose Namespace is listed but out of scope is not ours to end.
        let listed = Set(inventory.namespaces.compactMap(\.metadata.name))
        for ns in inventory.namespaces where scope.contains(ns) {
            let name = ns.metadata.name ?? ""
            let age = ns.metadata.creationTimestamp.map { Int64((now.secondsSince1970 - $0.secondsSince1970).rounded(.down)) }
            let record = records[name]
            let lease = record?.status?.leaseExpiresAt
                ?? ns.metadata.annotations?[WellKnown.leaseExpiresAtAnnotation].flatMap { KubeTime(rfc3339: $0) }
            var item = SweepItem(kind: .namespace, name: name, uid: ns.metadata.uid, reason: .orphaned, action: .skip,
                                 ageSeconds: age, lease: lease)
            if ns.metadata.deletionTimestamp != nil {
                item.reason = .terminating
                item.action = .report
                item.ageSeconds = ns.metadata.deletionTimestamp.map { Int64((now.secondsSince1970 - $0.secondsSince1970).rounded(.down)) }
                item.detail = blockers(ns)
            } else if record == nil {
                if activeUse.contains(name) {
                    item.skip = .runActive
                } else {
                    let due = (ns.metadata.creationTimestamp ?? now).adding(seconds: Double(config.sweep.orphanGrace.seconds))
                    if due <= now { item.action = .delete } else { (item.skip, item.due) = (.orphanGrace, due) }
                }
            } else if let decided = leaseItem(record!, lease: lease, now: now, leaseDecision: leaseDecision) {
                item.reason = decided.reason
                (item.action, item.skip, item.detail) = (decided.action, decided.skip, decided.detail)
            } else {
                continue
            }
            items.append(item)
        }
        // RunNamespaces whose Namespace is not (or no longer) listed: an expiry to finish, or a lease to end
        // (the expiry path re-reads the Namespace and leaves one that is out of scope alone).
        for (name, rns) in records where !listed.contains(name) && rns.metadata.deletionTimestamp == nil {
            let lease = rns.status?.leaseExpiresAt
            if let decided = leaseItem(rns, lease: lease, now: now, leaseDecision: leaseDecision) {
                var item = decided
                item.uid = rns.metadata.uid
                item.ageSeconds = nil
                items.append(item)
            }
        }
        for run in inventory.runs where run.metadata.deletionTimestamp == nil && (run.status?.phase?.isTerminal ?? false) {
            guard let finished = run.status?.finishedAt else { continue }
            let due = finished.adding(seconds: Double(config.sweep.finishedRunRetention.seconds))
            guard due <= now else { continue }
            items.append(SweepItem(kind: .agentRun, name: run.metadata.name ?? "", uid: run.metadata.uid, reason: .finishedRun,
                                   action: .delete, ageSeconds: Int64((now.secondsSince1970 - finished.secondsSince1970).rounded(.down)),
                                   lease: run.status?.leaseExpiresAt, detail: "phase \(run.status?.phase?.rawValue ?? "")"))
        }
        return items.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
    }

    /// Rules 3 and 4 for one RunNamespace; `nil` when it is live (nothing to report).
    static func leaseItem(_ rns: RunNamespace, lease: KubeTime?, now: KubeTime,
                          leaseDecision: (RunNamespace) -> LeaseDecision) -> SweepItem? {
        var item = SweepItem(kind: .namespace, name: rns.metadata.name ?? "", reason: .leaseExpired, action: .skip, lease: lease)
        switch rns.status?.phase {
        case .expired?, .terminating?:
            item.action = .expire
            item.detail = "expiry in progress (RunNamespace \(rns.status?.phase?.rawValue ?? ""))"
            return item
        case nil, .provisioning?:
            guard let lease, lease <= now else { return nil }
            item.skip = .provisioning
            return item
        case .active?, .retained?:
            guard let lease, lease <= now else { return nil }
            switch leaseDecision(rns) {
            case .expire(let cause):
                item.action = .expire
                item.detail = cause.rawValue
            case .hold(let runs):
                item.skip = .runActive
                item.detail = "active: \(runs.joined(separator: ","))"
            case .requeue(let at, let phase, let cause):
                item.skip = phase == .retained ? .debugRetained : .leaseNotEnded
                item.detail = "\(cause.rawValue) at \(at.rfc3339)"
            }
            return item
        }
    }

    /// What holds a Terminating namespace: `spec.finalizers`, `metadata.finalizers` and every True
    /// condition (`NamespaceFinalizersRemaining`, `NamespaceContentRemaining`, `…Failure`) with its message.
    public static func blockers(_ ns: Namespace) -> String {
        var parts: [String] = []
        let finalizers = (ns.spec?.finalizers ?? []) + (ns.metadata.finalizers ?? [])
        if !finalizers.isEmpty { parts.append("finalizers: \(finalizers.joined(separator: ","))") }
        for c in ns.status?.conditions ?? [] where c.status == "True" {
            parts.append("\(c.type): \(c.message ?? c.reason ?? "")")
        }
        return parts.isEmpty ? "deleting" : parts.joined(separator: "; ")
    }
}

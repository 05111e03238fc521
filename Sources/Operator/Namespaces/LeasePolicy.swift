import KubeAPI
import Runs

/// One AgentRun that used a run namespace, as the lease rules see it.
public struct LeaseRunUse: Sendable, Hashable {
    public var name: String
    /// True once the run is Succeeded, Failed or Cancelled.
    public var isTerminal: Bool
    /// When the run finished (`status.finishedAt`); `nil` while it runs (or if never recorded).
    public var finishedAt: KubeTime?

    public init(name: String, isTerminal: Bool, finishedAt: KubeTime? = nil) {
        self.name = name
        self.isTerminal = isTerminal
        self.finishedAt = finishedAt
    }

    /// The use of `run` (its phase and `finishedAt`).
    public init(_ run: AgentRun) {
        self.init(name: run.metadata.name ?? "", isTerminal: run.status?.phase?.isTerminal ?? false,
                  finishedAt: run.status?.finishedAt)
    }
}

/// Everything the lease rules read about one run namespace (SPEC §6): a pure value, so the
/// decision is a function of it and the clock.
public struct LeaseState: Sendable, Hashable {
    /// `spec.mode`: code-only namespaces end `codeOnlyGrace` after their last run finishes.
    public var mode: RunMode
    /// `spec.retain` (debug): kept past the lease until `retainedSince + debugMaxRetention`.
    public var retain: Bool
    /// The start of debug retention: when the namespace's last run finished (else its last lease
    /// renewal). Operator clock times only, never server timestamps.
    public var retainedSince: KubeTime
    /// The recorded lease end (`status.leaseExpiresAt` = last renewal + ttl(role)).
    public var leaseExpiresAt: KubeTime
    /// The runs that used the namespace (the AgentRuns whose `status.namespace` names it).
    public var runs: [LeaseRunUse]
    /// When a newer non-revise run of the same repository+issue+stage started elsewhere.
    public var supersededAt: KubeTime?
    /// The last renewal (`status.leaseRenewedAt`): a run that started then (a revise reusing the
    /// namespace) may not show in the runs yet, so no finish before it ends a code-only lease.
    public var renewedAt: KubeTime?
    /// When a close of the issue or pull request ends the lease (`IssueClosure`: `closed-at +
    /// close-grace` of a close at or after the last renewal); `nil` if none.
    public var closedEnd: KubeTime?

    public init(mode: RunMode, retain: Bool, retainedSince: KubeTime, leaseExpiresAt: KubeTime, runs: [LeaseRunUse],
                supersededAt: KubeTime? = nil, renewedAt: KubeTime? = nil, closedEnd: KubeTime? = nil) {
        self.closedEnd = closedEnd
        self.mode = mode
        self.retain = retain
        self.retainedSince = retainedSince
        self.leaseExpiresAt = leaseExpiresAt
        self.runs = runs
        self.supersededAt = supersededAt
        self.renewedAt = renewedAt
    }
}

/// Why a lease ended.
public enum LeaseEndCause: String, Sendable, Hashable, CaseIterable {
    /// `leaseExpiresAt` passed (last renewal + ttl(role)).
    case leaseExpired = "lease_expired"
    /// A code-only namespace, `codeOnlyGrace` after its last run finished.
    case codeOnlyFinished = "code_only_finished"
    /// `supersededGrace` after a newer non-revise run of the same key started.
    case superseded
    /// A debug namespace reached `debugMaxRetention`.
    case debugRetentionEnded = "debug_retention_ended"
    /// `closeGrace` after its issue or pull request was closed (`IssueClosure`).
    case issueClosed = "issue_closed"
}

/// What to do with a run namespace now (SPEC §6).
public enum LeaseDecision: Sendable, Hashable {
    /// A run in it is non-terminal: the lease never expires; nothing to schedule (a change of
    /// the run re-triggers the decision).
    case hold(activeRuns: [String])
    /// Keep it and decide again at `at` (exactly when it would end). `phase` is `.active`, or
    /// `.retained` while a debug namespace outlives its lease; `cause` is what ends it at `at`.
    case requeue(at: KubeTime, phase: RunNamespacePhase, cause: LeaseEndCause)
    /// The lease has ended: expire (re-read, then delete the Namespace, then the RunNamespace).
    case expire(cause: LeaseEndCause)
}

/// The lease arithmetic of SPEC §6, pure.
///
/// Rules, in order:
/// 1. A namespace with a non-terminal run never expires (`hold`).
/// 2. Its end is the earliest of: the recorded lease; for code-only, the last run's `finishedAt`
///    + `codeOnlyGrace` (only a finish at or after the last renewal counts: a renewal is a run
///    start, and that run may not show yet); when superseded, `supersededAt + supersededGrace`.
///    So a renewal at `r` never yields an end before `r + ttl` until some event after `r` (a
///    finish, a superseding admission) is seen — expiry cannot overtake a revise's renewal. A close
///    of the issue or PR (`IssueClosure`, at or after the last renewal) ends it at `closedEnd`.
/// 3. With `retain` (debug) it is kept past that end until `retainedSince + debugMaxRetention`, and
///    then expires normally: the end is the later of the two (`Retained` between them). Before the
///    lease passes, the decision is requeued at the lease end, so the phase turns `Retained` then.
/// 4. `now >= end` → `expire`; otherwise `requeue(at: end)`.
public enum LeasePolicy {
    /// A lease granted or renewed at `now` for `role`: `now + ttl(role)` (`namespaceTTL`).
    public static func leaseEnd(renewedAt now: KubeTime, role: Role, config: OperatorConfig) -> KubeTime {
        now.adding(seconds: Double(config.ttl(for: role).seconds))
    }

    /// The status after a run starts in (or reuses) the namespace at `now`: the lease is extended
    /// from now (`now + ttl`), `renewals` counts renewals after the first grant, the run becomes
    /// active and the last run. One write per run start; none per clock tick.
    public static func renewed(_ status: RunNamespaceStatus?, by run: String, ttl: RunDuration,
                               now: KubeTime) -> RunNamespaceStatus {
        var s = status ?? RunNamespaceStatus()
        let first = s.leaseRenewedAt == nil
        s.phase = .active
        s.leaseRenewedAt = now
        s.leaseExpiresAt = now.adding(seconds: Double(ttl.seconds))
        s.renewals = first ? 0 : (s.renewals ?? 0) + 1
        var active = s.activeRuns ?? []
        if !active.contains(run) { active.append(run) }
        s.activeRuns = active
        s.lastRun = run
        return s
    }

    /// When the lease of a namespace without active runs ends, and why (rule 2; debug retention
    /// not applied): the value recorded in `status.leaseExpiresAt` and the namespace annotation.
    public static func leaseEnd(_ state: LeaseState, graces: Graces) -> (at: KubeTime, cause: LeaseEndCause) {
        var end = state.leaseExpiresAt
        var cause = LeaseEndCause.leaseExpired
        func earlier(_ t: KubeTime, _ c: LeaseEndCause) {
            if t < end { (end, cause) = (t, c) }
        }
        if state.mode == .codeOnly, let finished = state.runs.compactMap(\.finishedAt).max(),
           state.renewedAt.map({ finished >= $0 }) ?? true {
            earlier(finished.adding(seconds: Double(graces.codeOnlyGrace.seconds)), .codeOnlyFinished)
        }
        if let superseded = state.supersededAt {
            earlier(superseded.adding(seconds: Double(graces.supersededGrace.seconds)), .superseded)
        }
        if let closed = state.closedEnd { earlier(closed, .issueClosed) }
        return (end, cause)
    }

    /// The decision for `state` at `now`.
    public static func decide(_ state: LeaseState, now: KubeTime, graces: Graces) -> LeaseDecision {
        let active = state.runs.filter { !$0.isTerminal }.map(\.name)
        if !active.isEmpty { return .hold(activeRuns: active.sorted()) }
        var (end, cause) = leaseEnd(state, graces: graces)
        var phase = RunNamespacePhase.active
        if state.retain {
            let retainedUntil = state.retainedSince.adding(seconds: Double(graces.debugMaxRetention.seconds))
            if retainedUntil > end {
                // Decide again when the lease passes, so the namespace turns Retained (and says so) then.
                if now < end { return .requeue(at: end, phase: .active, cause: cause) }
                phase = .retained
                (end, cause) = (retainedUntil, .debugRetentionEnded)
            }
        }
        return now >= end ? .expire(cause: cause) : .requeue(at: end, phase: phase, cause: cause)
    }

    /// When a newer non-revise run of the namespace's repository+issue+stage was admitted into
    /// another namespace: the earliest admission (its `Admitted=True` transition, an operator clock
    /// time) after `since` (the namespace's last lease renewal); `nil` if none.
    public static func supersededAt(namespace: String, repository: String, issue: Int64, stage: Stage,
                                    since: KubeTime, runs: [AgentRun]) -> KubeTime? {
        superseding(namespace: namespace, repository: repository, issue: issue, stage: stage, since: since, runs: runs)?.at
    }

    /// The run behind `supersededAt` (the earliest such admission; ties by name) and its admission time.
    public static func superseding(namespace: String, repository: String, issue: Int64, stage: Stage,
                                   since: KubeTime, runs: [AgentRun]) -> (run: String, at: KubeTime)? {
        runs.compactMap { run -> (run: String, at: KubeTime)? in
            guard run.spec.repository.lowercased() == repository.lowercased(), run.spec.issue == issue, run.spec.stage == stage,
                  !run.spec.isRevise, let other = run.status?.namespace, other != namespace,
                  let admitted = run.status?.conditions?.first(where: { $0.type == "Admitted" && $0.status == "True" })?
                  .lastTransitionTime, admitted > since else { return nil }
            return (run.metadata.name ?? "", admitted)
        }.min { ($0.at, $0.run) < ($1.at, $1.run) }
    }
}

import Audit
import Dispatch
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs
import Synchronization

/// What became of one planned item.
public struct SweepOutcome: Sendable, Hashable {
    public enum Result: Sendable, Hashable {
        /// `--dry-run`: decided, nothing written.
        case planned
        /// Deleted, handed to the expiry path, reported or skipped as planned.
        case done
        /// The re-check against the API changed the decision (e.g. the RunNamespace exists after all).
        case unchanged(String)
        /// A write failed; the next sweep tries again.
        case failed(String)
    }

    public var item: SweepItem
    public var result: Result

    public init(item: SweepItem, result: Result) {
        self.item = item
        self.result = result
    }
}

/// One sweep: every item of the plan and what became of it.
public struct SweepReport: Sendable {
    public var outcomes: [SweepOutcome]
    public var dryRun: Bool
    /// No write failed.
    public var succeeded: Bool {
        !outcomes.contains { if case .failed = $0.result { return true } else { return false } }
    }
}

/// Executes sweep plans (SPEC §6): the only writer of the sweep.
///
/// Guarantees:
/// - Decisions come from `SweepPlanner` (scope rules in `RunNamespaceScope`); out-of-scope objects
///   are never written.
/// - An orphan is deleted only after a GET of its RunNamespace from the API answers 404, with a UID
///   precondition on the Namespace delete (a namespace recreated under the same name is not touched).
/// - An ended lease goes through the RunNamespace reconciler's own expiry (re-read, conditional
///   claim, Namespace then RunNamespace), so a concurrent revise renewal wins by construction.
/// - A Terminating namespace is reported (log, one audit/Event `run.namespace.cleanup_failed` per
///   namespace and process, metric) and never forced: no finalizer is removed, nothing re-deleted.
/// - `dryRun` makes no API request at all (the inventory is read by the caller).
public final class Sweeper: Sendable {
    public let client: KubeClient
    public let config: OperatorConfig
    public let reconciler: RunNamespaceReconciler
    let audit: any AuditSink
    let metrics: SweepMetrics?
    let wallClock: @Sendable () -> Date
    let logger: Logger
    let reported = Mutex<Set<String>>([])
    /// Writes in flight at once.
    public static let concurrency = 8

    /// - Parameters:
    ///   - reconciler: the RunNamespace reconciler whose caches hold the AgentRuns (its lease rules
    ///     and its expiry path are used as they are).
    ///   - wallClock: the time of every decision (tests inject theirs).
    public init(client: KubeClient, config: OperatorConfig, audit: any AuditSink, reconciler: RunNamespaceReconciler,
                metrics: SweepMetrics? = nil, wallClock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "codex-k8s.sweep")) {
        self.client = client
        self.config = config
        self.audit = audit
        self.reconciler = reconciler
        self.metrics = metrics
        self.wallClock = wallClock
        self.logger = logger
    }

    var now: KubeTime { KubeTime(wallClock(), precision: .seconds) }

    /// The plan for `inventory` at the clock's current time.
    public func plan(_ inventory: SweepInventory) -> [SweepItem] {
        let now = self.now
        let graces = config.graces
        return SweepPlanner.plan(inventory, now: now, config: config) { [reconciler] rns in
            LeasePolicy.decide(reconciler.leaseState(rns), now: now, graces: graces)
        }
    }

    /// Plans and (unless `dryRun`) executes one sweep, and records its metrics.
    public func sweep(_ inventory: SweepInventory, dryRun: Bool = false) async -> SweepReport {
        let started = DispatchTime.now()
        let items = plan(inventory)
        let outcomes: [SweepOutcome]
        if dryRun {
            outcomes = items.map { SweepOutcome(item: $0, result: .planned) }
        } else {
            outcomes = await execute(items)
        }
        let report = SweepReport(outcomes: outcomes, dryRun: dryRun)
        if !dryRun, let metrics {
            metrics.recordPhases(inventory, scope: RunNamespaceScope(config))
            metrics.record(report, startedAt: started, wallClockSeconds: wallClock().timeIntervalSince1970)
        }
        let writes = outcomes.filter { $0.item.action == .delete || $0.item.action == .expire }.count
        logger.info("sweep done", metadata: ["items": "\(items.count)", "writes": "\(writes)", "dryRun": "\(dryRun)",
                                             "succeeded": "\(report.succeeded)"])
        return report
    }

    /// Executes every item, at most `concurrency` writes at once; outcomes in plan order.
    func execute(_ items: [SweepItem]) async -> [SweepOutcome] {
        var results = [SweepOutcome?](repeating: nil, count: items.count)
        await withTaskGroup(of: (Int, SweepOutcome).self) { group in
            var next = 0
            var running = 0
            func feed() {
                while running < Self.concurrency, next < items.count {
                    let i = next
                    next += 1
                    if items[i].action == .skip || items[i].action == .report {
                        results[i] = execute(local: items[i])
                        continue
                    }
                    running += 1
                    group.addTask { (i, await self.execute(write: items[i])) }
                }
            }
            feed()
            while let (i, outcome) = await group.next() {
                results[i] = outcome
                running -= 1
                feed()
            }
        }
        return results.map { $0! }
    }

    /// Skips and reports: no API write.
    func execute(local item: SweepItem) -> SweepOutcome {
        if item.action == .report {
            let first = reported.withLock { $0.insert(item.name).inserted }
            logger.warning("namespace \(item.name) is stuck Terminating: \(item.detail)",
                           metadata: ["namespace": "\(item.name)", "detail": "\(item.detail)"])
            if first {
                let rns = reconciler.stores.runNamespaces.get(ObjectKey(namespace: nil, name: item.name))
                emit(.namespaceCleanupFailed(namespace: item.name, error: "stuck terminating: \(item.detail)"), rns: rns)
            }
        }
        return SweepOutcome(item: item, result: .done)
    }

    /// Deletes and expiries.
    func execute(write item: SweepItem) async -> SweepOutcome {
        do {
            switch (item.kind, item.action) {
            case (.namespace, .expire):
                _ = try await reconciler.expire(ObjectKey(namespace: nil, name: item.name))
                return SweepOutcome(item: item, result: .done)
            case (.namespace, .delete):
                return try await deleteOrphan(item)
            case (.agentRun, .delete):
                try await client.delete(AgentRun.self, namespace: config.controlNamespace, name: item.name,
                                        options: DeleteOptions(preconditionUID: item.uid))
                logger.info("finished AgentRun \(item.name) deleted (retention)", metadata: ["run": "\(item.name)"])
                return SweepOutcome(item: item, result: .done)
            default:
                return SweepOutcome(item: item, result: .done)
            }
        } catch {
            let kube = error as? KubeError
            if kube?.isNotFound == true { return SweepOutcome(item: item, result: .unchanged("already gone")) }
            if kube?.isConflict == true { return SweepOutcome(item: item, result: .unchanged("changed since it was read")) }
            logger.error("sweep: \(item.action.rawValue) \(item.kind.rawValue) \(item.name) failed: \(error)")
            return SweepOutcome(item: item, result: .failed("\(error)"))
        }
    }

    /// Re-checks that the RunNamespace is missing (a GET from the API), then deletes the Namespace
    /// with its UID as precondition.
    func deleteOrphan(_ item: SweepItem) async throws(KubeError) -> SweepOutcome {
        do {
            _ = try await client.get(RunNamespace.self, name: item.name)
            return SweepOutcome(item: item, result: .unchanged("its RunNamespace exists"))
        } catch {
            guard error.isNotFound else { throw error }
        }
        try await client.delete(Namespace.self, name: item.name, options: DeleteOptions(preconditionUID: item.uid))
        logger.info("orphaned namespace \(item.name) deleted", metadata: ["namespace": "\(item.name)"])
        emit(.namespaceCleaned(namespace: item.name), rns: nil)
        return SweepOutcome(item: item, result: .done)
    }

    /// An audit event about a namespace, regarding its last AgentRun when known (Events live in the
    /// control namespace).
    func emit(_ event: AuditEvent, rns: RunNamespace?) {
        let run = rns?.status?.lastRun
        let ref = run.map {
            ObjectReference(apiVersion: AgentRun.resource.apiVersion, kind: "AgentRun", namespace: config.controlNamespace, name: $0)
        }
        audit.emit(event, subject: AuditSubject(run: run, repository: rns?.spec.repository, issue: rns.map { Int($0.spec.issue) },
                                                regarding: ref),
                   actor: "codex-k8s-sweep")
    }
}

import Dispatch
import Metrics
import Runs

/// The sweep's Prometheus metrics (SPEC §9; the chart's PrometheusRule and dashboard read the first
/// two and the last):
/// - `codex_runnamespaces{phase}`: run namespaces by phase at the last sweep (RunNamespace
///   `status.phase`; a namespace being deleted counts as `Terminating`);
/// - `codex_sweep_deletions_total{reason}`: deletions and expiries started (`orphaned`,
///   `lease_expired`, `finished_run`);
/// - `codex_sweep_skips_total{reason}`: items left alone (`SweepSkip`), and `stuck_terminating`
///   for each report of a namespace that is not going away;
/// - `codex_sweep_terminating_namespaces`: namespaces Terminating at the last sweep;
/// - `codex_sweep_errors_total`: writes that failed (the item is retried by the next sweep);
/// - `codex_sweep_duration_seconds` (histogram): one sweep, from reading to the last write;
/// - `codex_sweep_last_success_timestamp_seconds`: Unix time of the last sweep that completed
///   without an error (the `CodexK8sSweeperStalled` alert).
public final class SweepMetrics: Sendable {
    private let byPhase: [RunNamespacePhase: Gauge]
    private let deletions: [SweepReason: Counter]
    private let skips: [String: Counter]
    private let terminating: Gauge
    private let errors: Counter
    private let duration: Timer
    private let lastSuccess: Gauge

    public init(factory: any MetricsFactory) {
        var byPhase: [RunNamespacePhase: Gauge] = [:]
        for phase in RunNamespacePhase.allCases {
            byPhase[phase] = Gauge(label: "codex_runnamespaces", dimensions: [("phase", phase.rawValue)], factory: factory)
        }
        self.byPhase = byPhase
        var deletions: [SweepReason: Counter] = [:]
        for reason in SweepReason.allCases where reason != .terminating {
            deletions[reason] = Counter(label: "codex_sweep_deletions_total", dimensions: [("reason", reason.rawValue)], factory: factory)
        }
        self.deletions = deletions
        var skips: [String: Counter] = [:]
        for reason in SweepSkip.allCases.map(\.rawValue) + ["stuck_terminating"] {
            skips[reason] = Counter(label: "codex_sweep_skips_total", dimensions: [("reason", reason)], factory: factory)
        }
        self.skips = skips
        terminating = Gauge(label: "codex_sweep_terminating_namespaces", factory: factory)
        errors = Counter(label: "codex_sweep_errors_total", factory: factory)
        duration = Timer(label: "codex_sweep_duration_seconds", factory: factory)
        lastSuccess = Gauge(label: "codex_sweep_last_success_timestamp_seconds", factory: factory)
    }

    /// Records the phases of one inventory.
    func recordPhases(_ inventory: SweepInventory, scope: RunNamespaceScope) {
        var deleting: Set<String> = []
        for ns in inventory.namespaces where ns.metadata.deletionTimestamp != nil && scope.contains(ns) {
            deleting.insert(ns.metadata.name ?? "")
        }
        var counts: [RunNamespacePhase: Int] = [:]
        for rns in inventory.runNamespaces {
            guard let name = rns.metadata.name, scope.allows(name: name) else { continue }
            let phase = deleting.contains(name) ? .terminating : (rns.status?.phase ?? .provisioning)
            counts[phase, default: 0] += 1
        }
        terminating.record(deleting.count)
        for (phase, gauge) in byPhase { gauge.record(counts[phase] ?? 0) }
    }

    /// Records what one executed sweep did.
    func record(_ report: SweepReport, startedAt: DispatchTime, wallClockSeconds: Double) {
        for outcome in report.outcomes {
            let item = outcome.item
            switch (item.action, outcome.result) {
            case (.delete, .done), (.expire, .done): deletions[item.reason]?.increment()
            case (.skip, _): item.skip.map { skips[$0.rawValue]?.increment() }
            case (.report, _): skips["stuck_terminating"]?.increment()
            case (_, .failed): errors.increment()
            default: break
            }
        }
        duration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - startedAt.uptimeNanoseconds))
        if report.succeeded { lastSuccess.record(wallClockSeconds) }
    }
}

import Metrics
import Runs

/// The operator's own metrics (SPEC §9), besides KubeRuntime's reconcile duration and queue depth:
/// `codex_agentruns{phase}` (runs by phase, from the cache), `codex_slots_used` and
/// `codex_slots_max`.
final class OperatorMetrics: Sendable {
    private let byPhase: [AgentRunPhase: Gauge]
    private let slotsUsed: Gauge
    private let slotsMax: Gauge

    init(factory: any MetricsFactory, maxActive: Int) {
        var byPhase: [AgentRunPhase: Gauge] = [:]
        for phase in AgentRunPhase.allCases {
            byPhase[phase] = Gauge(label: "codex_agentruns", dimensions: [("phase", phase.rawValue)], factory: factory)
        }
        self.byPhase = byPhase
        slotsUsed = Gauge(label: "codex_slots_used", factory: factory)
        slotsMax = Gauge(label: "codex_slots_max", factory: factory)
        slotsMax.record(maxActive)
    }

    /// Records the runs by phase (`counts` keyed by the phase's raw value; no phase yet: Pending).
    func update(counts: [String: Int]) {
        for (phase, gauge) in byPhase { gauge.record(counts[phase.rawValue] ?? 0) }
        let used = [AgentRunPhase.provisioning, .running, .waiting].reduce(0) { $0 + (counts[$1.rawValue] ?? 0) }
        slotsUsed.record(used)
    }
}

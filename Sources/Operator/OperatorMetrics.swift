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

    func update(_ runs: [AgentRun]) {
        var counts: [AgentRunPhase: Int] = [:]
        for run in runs { counts[run.status?.phase ?? .pending, default: 0] += 1 }
        for (phase, gauge) in byPhase { gauge.record(counts[phase] ?? 0) }
        slotsUsed.record((counts[.provisioning] ?? 0) + (counts[.running] ?? 0) + (counts[.waiting] ?? 0))
    }
}

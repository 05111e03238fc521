import Metrics
import Runs

/// The operator's own metrics (SPEC §9), besides KubeRuntime's reconcile duration and queue depth:
/// `codex_agentruns{phase}` (runs by phase, from the cache), `codex_slots_used` and
/// `codex_slots_max`.
final class OperatorMetrics: Sendable {
    /// One gauge per phase, in the order of `AgentRunPhase.allCases`.
    private let byPhase: [Gauge]
    private let slotsUsed: Gauge
    private let slotsMax: Gauge

    init(factory: any MetricsFactory, maxActive: Int) {
        byPhase = AgentRunPhase.allCases.map {
            Gauge(label: "codex_agentruns", dimensions: [("phase", $0.rawValue)], factory: factory)
        }
        slotsUsed = Gauge(label: "codex_slots_used", factory: factory)
        slotsMax = Gauge(label: "codex_slots_max", factory: factory)
        slotsMax.record(maxActive)
    }

    /// Positions in `AgentRunPhase.allCases` of the phases that hold a slot.
    private static let slotPhases = [AgentRunPhase.provisioning, .running, .waiting].map { AgentRunPhase.allCases.firstIndex(of: $0)! }

    /// Records the runs by phase: `counts[i]` runs in phase `AgentRunPhase.allCases[i]` (no phase
    /// yet: Pending); `counts` has one element per phase (`AgentRunReconciler.phaseCounts()`).
    func update(counts: [Int]) {
        precondition(counts.count == byPhase.count, "one count per phase")
        for i in 0..<byPhase.count { byPhase[i].record(counts[i]) }
        slotsUsed.record(Self.slotPhases.reduce(0) { $0 + counts[$1] })
    }
}

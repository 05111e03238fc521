import KubeAPI
import KubeRuntime
import MetricsTestKit
@testable import Operator
import Runs
import Testing
import TestSupport

/// The phase gauges (`codex_agentruns{phase}`, `codex_slots_used`) read the cache's phase index
/// by position (`Store.counts(inIndex:eachOf:)`, `OperatorMetrics.update(counts:)`); they must
/// show what the former dictionary of counts gave: every phase's count (0 when none), and the
/// runs in Provisioning, Running and Waiting as the slots used.
struct PhaseGaugeTests {
    static func run(_ name: String, phase: AgentRunPhase?) -> AgentRun {
        AgentRun(metadata: ObjectMeta(name: name, namespace: "codex-system"),
                 spec: AgentRunSpec(repository: "acme/shop", issue: 1, stage: .dev),
                 status: phase.map { AgentRunStatus(phase: $0) })
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gaugesShowTheCountsTheFormerDictionaryGave(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let store = Store<AgentRun>()
        RunIndexes.register(on: store)
        store.apply(.initStarted)
        store.apply(.initDone)
        let metrics = TestMetrics()
        let gauges = OperatorMetrics(factory: metrics, maxActive: 20)
        let phases: [AgentRunPhase?] = [nil] + AgentRunPhase.allCases
        for step in 0..<60 {
            let name = "r\(rng.next() % 25)"
            if rng.next() % 5 == 0 {
                store.apply(.delete(Self.run(name, phase: nil)))
            } else {
                store.apply(.apply(Self.run(name, phase: phases[Int(rng.next() % UInt64(phases.count))])))
            }
            gauges.update(counts: store.counts(inIndex: RunIndexes.phase, eachOf: AgentRunReconciler.phaseNames))
            // The former computation: a dictionary of the listed values, read by raw value.
            let former = store.counts(inIndex: RunIndexes.phase, values: AgentRunPhase.allCases.map(\.rawValue))
            let byHand = Dictionary(grouping: store.list(), by: { ($0.status?.phase ?? .pending).rawValue }).mapValues(\.count)
            for phase in AgentRunPhase.allCases {
                let shown = try metrics.expectGauge("codex_agentruns", [("phase", phase.rawValue)]).lastValue
                #expect(shown == Double(former[phase.rawValue] ?? 0) && shown == Double(byHand[phase.rawValue] ?? 0),
                        "step \(step) \(phase)")
            }
            let used = [AgentRunPhase.provisioning, .running, .waiting].reduce(0) { $0 + (former[$1.rawValue] ?? 0) }
            #expect(try metrics.expectGauge("codex_slots_used").lastValue == Double(used), "step \(step)")
        }
        #expect(try metrics.expectGauge("codex_slots_max").lastValue == 20)
    }
}

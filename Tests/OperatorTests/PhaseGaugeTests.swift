import KubeAPI
import KubeClient
import KubeRuntime
import MetricsTestKit
@testable import Operator
import Runs
import Testing
import TestSupport

/// The phase gauges (`codex_agentruns{phase}`, `codex_slots_used`) as the runtime drives them after
/// every reconcile — `OperatorMetrics.update(counts: reconciler.phaseCounts())`, the cache's phase
/// index read by position (`Store.counts(inIndex:eachOf:)`) — show what the former code gave: a
/// dictionary of the listed phases' counts (one index lookup per phase) read by raw value, copied
/// below as it was (b2ebc51), and the runs counted by hand from the cache: every phase's count (0
/// when none), and the runs in Provisioning, Running and Waiting as the slots used.
struct PhaseGaugeTests {
    static func run(_ name: String, phase: AgentRunPhase?) -> AgentRun {
        AgentRun(metadata: ObjectMeta(name: name, namespace: "codex-system"),
                 spec: AgentRunSpec(repository: "acme/shop", issue: 1, stage: .dev),
                 status: phase.map { AgentRunStatus(phase: $0) })
    }

    /// The former computation (b2ebc51), the store's lookup through its public per-value read:
    /// `Store.counts(inIndex:values:)`'s loop gave `[value: count]`, and `OperatorMetrics.update`
    /// recorded `counts[phase.rawValue] ?? 0` per phase and the three slot phases' sum as used.
    static func formerGauges(_ store: Store<AgentRun>) -> (byPhase: [AgentRunPhase: Int], used: Int) {
        var counts = [String: Int](minimumCapacity: AgentRunPhase.allCases.count)
        for value in AgentRunPhase.allCases.map(\.rawValue) {
            counts[value] = store.keys(inIndex: RunIndexes.phase, value: value).count
        }
        var byPhase: [AgentRunPhase: Int] = [:]
        for phase in AgentRunPhase.allCases { byPhase[phase] = counts[phase.rawValue] ?? 0 }
        let used = [AgentRunPhase.provisioning, .running, .waiting].reduce(0) { $0 + (counts[$1.rawValue] ?? 0) }
        return (byPhase, used)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func gaugesShowTheCountsTheFormerDictionaryGave(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let store = Store<AgentRun>()
        store.apply(.initStarted)
        store.apply(.initDone)
        let client = KubeClient(config: KubeClientConfig(server: "http://127.0.0.1:1"), retryPolicy: .none)
        let reconciler = AgentRunReconciler(client: client, config: .defaults, audit: CapturingAudit(), logger: OperatorHarness.quiet)
        // What `OperatorRuntime` attaches; registers the phase index on the runs' cache.
        reconciler.attach(caches: OperatorCaches(runs: store, jobs: Store(), pods: Store(), secrets: Store()), enqueue: { _ in })
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
            gauges.update(counts: reconciler.phaseCounts())
            let former = Self.formerGauges(store)
            let byHand = Dictionary(grouping: store.list(), by: { $0.status?.phase ?? .pending }).mapValues(\.count)
            for phase in AgentRunPhase.allCases {
                let shown = try metrics.expectGauge("codex_agentruns", [("phase", phase.rawValue)]).lastValue
                #expect(shown == Double(former.byPhase[phase]!) && shown == Double(byHand[phase] ?? 0), "step \(step) \(phase)")
            }
            let usedByHand = [AgentRunPhase.provisioning, .running, .waiting].reduce(0) { $0 + (byHand[$1] ?? 0) }
            let used = try metrics.expectGauge("codex_slots_used").lastValue
            #expect(used == Double(former.used) && used == Double(usedByHand), "step \(step)")
        }
        #expect(try metrics.expectGauge("codex_slots_max").lastValue == 20)
    }
}

import KubeAPI
@testable import Operator
import Runs
import Testing

/// `RunStartSighting`: the lease controller's judgment of the runs `status.activeRuns` names when
/// its cache shows none using the namespace — held without an API read when a named run is known
/// unplaced or placed here, an API read only for runs not known at all.
struct RunStartSightingTests {
    static func run(_ name: String, phase: AgentRunPhase? = nil, namespace: String? = nil) -> AgentRun {
        AgentRun(metadata: ObjectMeta(name: name, namespace: "codex-system"),
                 spec: AgentRunSpec(repository: "acme/shop", issue: 1, stage: .dev),
                 status: phase == nil && namespace == nil ? nil : AgentRunStatus(phase: phase, namespace: namespace))
    }

    static let ns = "codex-run-a"

    @Test(arguments: [
        // (what the view knows, activeRuns, expected)
        ([run("r1", phase: .provisioning, namespace: ns)], ["r1"], RunStartSighting.held(run: "r1")), // the ledger's write
        ([run("r1")], ["r1"], .held(run: "r1")), // unplaced: its status write is in flight
        ([run("r1", phase: .pending)], ["r1"], .held(run: "r1")),
        ([run("r1", phase: .succeeded, namespace: ns)], ["r1"], .free),
        ([run("r1", phase: .cancelled)], ["r1"], .free), // ended before it was placed
        ([run("r1", phase: .running, namespace: "codex-run-b")], ["r1"], .free), // placed elsewhere
        ([], ["r1"], .absent(["r1"])), // deleted, or not listed yet: only the API knows
        ([run("r2", phase: .failed, namespace: ns)], ["r1", "r2", "r3"], .absent(["r1", "r3"])),
        ([run("r2", phase: .running, namespace: ns)], ["r1", "r2"], .held(run: "r2")), // a known holder wins over the unknown
        ([], [], .free),
    ] as [([AgentRun], [String], RunStartSighting)])
    func judgment(known: [AgentRun], activeRuns: [String], expected: RunStartSighting) {
        let byName = Dictionary(uniqueKeysWithValues: known.map { ($0.metadata.name ?? "", $0) })
        #expect(RunStartSighting.judge(namespace: Self.ns, activeRuns: activeRuns) { byName[$0] } == expected)
    }
}

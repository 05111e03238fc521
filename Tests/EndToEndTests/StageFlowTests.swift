import Foundation
import KubeAPI
import Runs
import Testing

extension EndToEndTests {
    /// An issue's life through the stages (SPEC §2, §3, §5): one run after another.
    @Suite struct StageFlowTests {
        /// `run:intake` → … → `run:ops` on one issue, each run to Succeeded in a namespace of its own,
        /// with the stage's role (§3) and the mode the chart's configuration gives it (§5).
        @Test func stagesRunInTurnFromIntakeToOps() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let stages: [Stage] = [.intake, .vision, .prd, .arch, .design, .plan, .dev, .qa, .release, .postdeploy, .ops]
                let fullEnv: Set<Stage> = [.dev, .qa, .release, .postdeploy, .ops] // the chart's modes.byStage
                var namespaces: [String] = []
                for stage in stages {
                    let name = try await c.labelIssue(60, "run:\(stage.rawValue)")
                    let done = try await c.runToSuccess(name)
                    #expect(done.spec.stage == stage)
                    #expect(done.status?.mode == (fullEnv.contains(stage) ? .fullEnv : .codeOnly), "\(stage)")
                    let ns = try #require(done.status?.namespace)
                    let rns = try await c.admin.get(RunNamespace.self, name: ns)
                    #expect(rns.spec.stage == stage && rns.spec.role == stage.role, "\(stage): \(rns.spec)")
                    namespaces.append(ns)
                }
                #expect(Set(namespaces).count == stages.count, "\(namespaces)")
                guard let audit = c.audit else { return }
                try await eventually("a Succeeded row per stage") {
                    try await audit.query("SELECT count(*) FROM agent_runs WHERE issue = 60 AND phase = 'Succeeded'") == [["\(stages.count)"]]
                }
            }
        }
    }
}

import KubeAPI
import KubeClient
import Operator
import Runs
import Testing

/// Admission end to end: 3 repositories × 10 runs, maxActiveRuns 4, perRepository 2.
@Suite(.serialized) struct SlotFairnessTests {
    @Test func thirtyRunsOfThreeRepositoriesShareFourSlotsFairlyOldestFirst() async throws {
        try await OperatorHarness.with(slots: (4, 2)) { h in
            let repos = ["acme/r0", "acme/r1", "acme/r2"]
            for i in 0..<10 {
                for (r, repo) in repos.enumerated() {
                    try await h.createRun("r\(r)-\(i < 10 ? "0" : "")\(i)", repository: repo, issue: Int64(100 + i))
                }
            }
            let op = h.startOperator()
            let ctl = h.config.controlNamespace
            var admissionOrder: [String] = []
            var finished: Set<String> = []
            /// Waits until admission is complete for the current state: every Pending run is
            /// blocked by a limit. Checks the limits on every state it sees.
            func settledRuns() async throws -> [AgentRun] {
                var runs: [AgentRun] = []
                try await h.waitUntil("admission settles", watching: AgentRun.self, namespace: ctl) {
                    runs = try await h.client.list(AgentRun.self, namespace: ctl).items
                    let active = runs.filter { $0.status?.phase == .provisioning || $0.status?.phase == .running }
                    #expect(active.count <= 4, "never more than maxActiveRuns: \(active.map(\.metadata.name!))")
                    for repo in repos {
                        #expect(active.filter { $0.spec.repository == repo }.count <= 2, "never more than perRepository in \(repo)")
                    }
                    let pending = runs.filter { $0.status?.phase == nil || $0.status?.phase == .pending }
                    return pending.allSatisfy { p in
                        p.status?.reason == .waitingForSlot
                            && (active.count == 4 || active.filter { $0.spec.repository == p.spec.repository }.count == 2)
                    } && (pending.isEmpty || active.count > 0)
                }
                return runs
            }
            while finished.count < 30 {
                let runs = try await settledRuns()
                let active = runs.filter { $0.status?.phase == .provisioning || $0.status?.phase == .running }
                    .sorted { $0.metadata.name! < $1.metadata.name! }
                for run in active where !admissionOrder.contains(run.metadata.name!) { admissionOrder.append(run.metadata.name!) }
                if finished.isEmpty {
                    // Fair: the first four slots go to all three repositories.
                    #expect(Set(active.map(\.spec.repository)) == Set(repos))
                }
                // Finish the run admitted first among those still active.
                let next = try #require(admissionOrder.first { n in active.contains { $0.metadata.name == n } })
                let run = try #require(active.first { $0.metadata.name == next })
                try await h.podFinished(run, exitCode: 0)
                _ = try await h.waitForPhase(next, .succeeded)
                finished.insert(next)
            }
            // Oldest first within each repository.
            for r in 0..<3 {
                let order = admissionOrder.filter { $0.hasPrefix("r\(r)-") }
                #expect(order == order.sorted(), "repository r\(r) admitted out of order: \(order)")
                #expect(order.count == 10)
            }
            await op.stop()
        }
    }
}

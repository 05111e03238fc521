import Operator
import Testing
import TestSupport

/// Admission as a pure function: tables for each rule, and properties over random states.
@Suite struct SlotSchedulerTests {
    static func run(_ name: String, _ repo: String, issue: Int64 = 0, at created: Double, active: Bool = false) -> SlotCandidate {
        SlotCandidate(name: name, repository: repo, issue: issue == 0 ? Int64(created) + 1000 : issue, created: created, active: active)
    }

    @Test func oneRunPerRepositoryAndIssueTheRestQueueBehindIt() {
        let d = SlotScheduler.schedule([
            Self.run("a1", "a", issue: 1, at: 1, active: true),
            Self.run("a2", "a", issue: 1, at: 2),
            Self.run("b1", "b", issue: 1, at: 3),
            Self.run("b2", "b", issue: 1, at: 4),
        ], limits: SlotLimits(maxActive: 10, perRepository: 10))
        #expect(d == ["a2": .queuedBehind("a1"), "b1": .admit, "b2": .queuedBehind("b1")])
    }

    @Test func slotsAreSharedFairlyAndOldestFirstWithinARepository() {
        // a has 5 old runs, b and c one newer run each: b and c are not stuck behind a.
        var runs = (0..<5).map { Self.run("a\($0)", "a", at: Double($0)) }
        runs += [Self.run("b0", "b", at: 10), Self.run("c0", "c", at: 11)]
        let d = SlotScheduler.schedule(runs, limits: SlotLimits(maxActive: 4, perRepository: 3))
        #expect(d.filter { $0.value == .admit }.keys.sorted() == ["a0", "a1", "b0", "c0"])
        #expect(d["a2"] == .waitingForSlot && d["a4"] == .waitingForSlot)
    }

    @Test func aFullRepositoryNeverBlocksAnother() {
        let d = SlotScheduler.schedule([
            Self.run("a0", "a", at: 0, active: true), Self.run("a1", "a", at: 1, active: true),
            Self.run("a2", "a", at: 2), Self.run("b0", "b", at: 3),
        ], limits: SlotLimits(maxActive: 4, perRepository: 2))
        #expect(d == ["a2": .waitingForSlot, "b0": .admit])
    }

    @Test func nothingIsAdmittedWhenEverySlotIsTaken() {
        let d = SlotScheduler.schedule([
            Self.run("a0", "a", at: 0, active: true), Self.run("b0", "b", at: 1, active: true), Self.run("c0", "c", at: 2),
        ], limits: SlotLimits(maxActive: 2, perRepository: 2))
        #expect(d == ["c0": .waitingForSlot])
    }

    @Test func tiesInCreationTimeAreBrokenByName() {
        let d = SlotScheduler.schedule([Self.run("x-2", "a", issue: 2, at: 5), Self.run("x-1", "a", issue: 1, at: 5)],
                                       limits: SlotLimits(maxActive: 1, perRepository: 1))
        #expect(d == ["x-1": .admit, "x-2": .waitingForSlot])
    }

    /// Properties over random states: limits hold, the result does not depend on order, nothing
    /// waits for a slot while one is free to it, and within a repository no younger run is
    /// admitted before an older eligible one.
    @Test func propertiesOverRandomStates() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<500 {
            let limits = SlotLimits(maxActive: Int(rng.next() % 6) + 1, perRepository: Int(rng.next() % 4) + 1)
            var runs: [SlotCandidate] = []
            for i in 0..<Int(rng.next() % 20) {
                let repo = ["a", "b", "c"][Int(rng.next() % 3)]
                runs.append(SlotCandidate(name: "r\(i)", repository: repo, issue: Int64(rng.next() % 4),
                                          created: Double(rng.next() % 10), active: rng.next() % 4 == 0))
            }
            let d = SlotScheduler.schedule(runs, limits: limits)
            #expect(d == SlotScheduler.schedule(runs.reversed(), limits: limits))
            let activeBefore = runs.filter(\.active)
            let admitted = runs.filter { d[$0.name] == .admit }
            let after = activeBefore + admitted
            #expect(admitted.isEmpty || after.count <= limits.maxActive)
            for repo in ["a", "b", "c"] {
                let before = activeBefore.filter { $0.repository == repo }.count
                let now = after.filter { $0.repository == repo }.count
                #expect(now == before || now <= limits.perRepository)
                // Oldest first within a repository.
                for w in runs where w.repository == repo && d[w.name] == .waitingForSlot {
                    for a in admitted where a.repository == repo {
                        #expect((a.created, a.name) < (w.created, w.name))
                    }
                }
            }
            // No run waits for a slot while both limits leave room for it.
            for w in runs where d[w.name] == .waitingForSlot {
                let repoCount = after.filter { $0.repository == w.repository }.count
                #expect(after.count >= limits.maxActive || repoCount >= limits.perRepository)
            }
            // At most one non-queued run per repository+issue.
            let keys = after.map { "\($0.repository)#\($0.issue)" } + runs.filter { d[$0.name] == .waitingForSlot }.map { "\($0.repository)#\($0.issue)" }
            #expect(Set(keys).count == keys.count || activeBefore.count > 0)
        }
    }
}

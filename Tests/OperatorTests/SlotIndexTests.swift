import Operator
import Testing
import TestSupport

/// The incremental `SlotIndex` against its oracle, the pure `SlotScheduler`: over random sequences
/// of arrivals, admissions, ends and deletions, every decision of the index equals the oracle's.
@Suite struct SlotIndexTests {
    /// Compares every candidate's decision with the oracle's.
    static func expectOracle(_ index: SlotIndex, _ limits: SlotLimits, sourceLocation: SourceLocation = #_sourceLocation) {
        let runs = Array(index.candidates.values)
        let oracle = SlotScheduler.schedule(runs, limits: limits)
        for run in runs {
            let got = index.decision(for: run.name, limits: limits)
            #expect(got == oracle[run.name], "\(run.name) in \(runs.sorted { $0.name < $1.name }) limits \(limits)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func matchesTheSchedulerOverRandomEventSequences() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let limits = SlotLimits(maxActive: Int(rng.next() % 7) + 1, perRepository: Int(rng.next() % 4) + 1)
            let repos = ["a", "b", "c", "d"].prefix(Int(rng.next() % 4) + 1)
            var index = SlotIndex()
            var nextName = 0
            for _ in 0..<60 {
                let names = Array(index.candidates.keys).sorted()
                switch rng.next() % 10 {
                case 0...3: // a new run
                    nextName += 1
                    index.update(SlotCandidate(name: "r\(nextName)", repository: repos.randomElement(using: &rng)!,
                                               issue: Int64(rng.next() % 3), created: Double(rng.next() % 8),
                                               active: rng.next() % 5 == 0))
                case 4...6: // admission as the reconciler does it: the oracle's admitted runs turn active
                    if let name = names.randomElement(using: &rng), index.decision(for: name, limits: limits) == .admit {
                        var c = index.candidates[name]!
                        c.active = true
                        index.update(c)
                    }
                case 7...8: // a run ends or is deleted
                    if let name = names.randomElement(using: &rng) { index.remove(name) }
                default: // a run is seen again unchanged, or a reservation is released
                    if let name = names.randomElement(using: &rng) {
                        var c = index.candidates[name]!
                        index.update(c)
                        if rng.next() % 2 == 0 { c.active.toggle(); index.update(c) }
                    }
                }
                Self.expectOracle(index, limits)
            }
        }
    }

    @Test func contendedSlotsAreFairAcrossRepositories() {
        // a has 5 old runs, b and c one newer run each; 4 slots, 3 per repository.
        var index = SlotIndex()
        for i in 0..<5 { index.update(SlotCandidate(name: "a\(i)", repository: "a", issue: Int64(i), created: Double(i), active: false)) }
        index.update(SlotCandidate(name: "b0", repository: "b", issue: 1, created: 10, active: false))
        index.update(SlotCandidate(name: "c0", repository: "c", issue: 1, created: 11, active: false))
        let limits = SlotLimits(maxActive: 4, perRepository: 3)
        let admitted = index.candidates.keys.filter { index.decision(for: $0, limits: limits) == .admit }.sorted()
        #expect(admitted == ["a0", "a1", "b0", "c0"])
        #expect(index.decision(for: "a2", limits: limits) == .waitingForSlot)
        Self.expectOracle(index, limits)
    }

    @Test func aSecondRunOfAnIssueQueuesBehindTheActiveOne() {
        var index = SlotIndex()
        index.update(SlotCandidate(name: "x1", repository: "a", issue: 1, created: 1, active: true))
        index.update(SlotCandidate(name: "x2", repository: "a", issue: 1, created: 2, active: false))
        index.update(SlotCandidate(name: "x3", repository: "a", issue: 1, created: 3, active: false))
        let limits = SlotLimits(maxActive: 10, perRepository: 10)
        #expect(index.decision(for: "x3", limits: limits) == .queuedBehind("x1"))
        index.remove("x1")
        #expect(index.decision(for: "x2", limits: limits) == .admit)
        #expect(index.decision(for: "x3", limits: limits) == .queuedBehind("x2"))
        #expect(index.decision(for: "x1", limits: limits) == nil, "a forgotten run has no decision")
    }
}

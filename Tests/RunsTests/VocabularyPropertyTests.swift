import Runs
import TestSupport
import Testing

/// Properties of the vocabulary over random label snapshots (seeded, so reproducible).
@Suite struct VocabularyPropertyTests {
    static let fragments = ["run:", "run:dev", "run:qa:revise", "run:rethink:revise", "run:debug", "state:blocked", "need:qa",
                            "[ai-model-", "ai-model-o3", "[ai-model-gpt-5]", "AI-MODEL-GPT-5", "[ai-reasoning-high]",
                            "ai-reasoning-low", "[ai-reasoning-ultra]", "]", "[", ":", "revise", "é", "\u{0}", " ", "-", "ai-"]

    static func randomLabel(_ rng: inout SplitMix) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            if Bool.random(using: &rng) {
                s += fragments.randomElement(using: &rng)!
            } else {
                s += String(Stage.allCases.randomElement(using: &rng)!.rawValue)
            }
        }
        return Bool.random(using: &rng) ? s.uppercased() : s
    }

    static func snapshot(_ rng: inout SplitMix) -> [RunLabel] {
        (0..<Int.random(in: 0...12, using: &rng)).map { _ in
            RunLabel(name: randomLabel(&rng), scope: Bool.random(using: &rng) ? .issue : .pullRequest)
        }
    }

    static let catalog = ProfileCatalog(models: ["o3", "gpt-5"], defaultModel: "o3", reasoning: [.low, .high], defaultReasoning: .low)

    @Test func randomSnapshotsNeverCrashReportEveryConflictAndIgnoreOrder() {
        var rng = SplitMix(seed: 0xC0DE_C5)
        for _ in 0..<3000 {
            let labels = Self.snapshot(&rng)
            let decision = LabelDecision(labels)
            // Every (kind, scope) with two or more distinct values is a conflict, and only those.
            var expected: Set<LabelConflict> = []
            for scope in LabelScope.allCases {
                var triggers: Set<String> = []
                var values: [ProfileKind: Set<String>] = [:]
                for l in labels where l.scope == scope {
                    switch LabelVocabulary.classify(l.name) {
                    case .trigger(let s, let r): triggers.insert(LabelVocabulary.triggerLabel(s, revise: r))
                    case .profile(let k, let v): values[k, default: []].insert(v)
                    default: break
                    }
                }
                if triggers.count > 1 { expected.insert(LabelConflict(kind: .trigger, scope: scope, labels: triggers.sorted())) }
                for (k, v) in values where v.count > 1 {
                    expected.insert(LabelConflict(kind: k == .model ? .model : .reasoning, scope: scope,
                                                  labels: v.sorted().map { "[ai-\(k.rawValue)-\($0)]" }))
                }
            }
            #expect(Set(decision.conflicts) == expected, "\(labels)")
            let shuffled = labels.shuffled(using: &rng)
            #expect(LabelDecision(shuffled) == decision, "order must not matter: \(labels)")
            for review in [false, true] {
                let a = ProfileResolution.resolve(ProfileRequest(labels: decision, reviewRevise: review), catalog: Self.catalog)
                let b = ProfileResolution.resolve(ProfileRequest(labels: LabelDecision(shuffled), reviewRevise: review), catalog: Self.catalog)
                #expect(a == b)
            }
        }
    }

    @Test func arbitraryUnicodeNeverCrashes() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<2000 {
            let scalars = (0..<Int.random(in: 0...30, using: &rng)).compactMap { _ in Unicode.Scalar(UInt32.random(in: 0...0x2FFFF, using: &rng)) }
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars)
            _ = LabelVocabulary.classify(s)
            _ = LabelVocabulary.classify("run:" + s)
            _ = LabelVocabulary.classify("[ai-model-" + s + "]")
        }
    }
}

import Runs
import Testing

/// SPEC §4 profile resolution: sources in order, review-revise order, conflicts, catalog.
@Suite struct ProfileResolutionTests {
    static let catalog = ProfileCatalog(models: ["gpt-5-codex", "gpt-5", "o3"], defaultModel: "gpt-5-codex",
                                        reasoning: [.low, .medium, .high], defaultReasoning: .medium)

    static func labels(_ pairs: [(String, LabelScope)]) -> LabelDecision {
        LabelDecision(pairs.map { RunLabel(name: $0.0, scope: $0.1) })
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var labels: [(String, LabelScope)]
        var spec: (String?, String?) = (nil, nil)
        var previous: (String?, Reasoning?) = (nil, nil)
        var reviewRevise = false
        var model: (String, ProfileSource)
        var reasoning: (Reasoning, ProfileSource)
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "defaults", labels: [], model: ("gpt-5-codex", .default), reasoning: (.medium, .default)),
        Row(name: "issue labels", labels: [("[ai-model-o3]", .issue), ("ai-reasoning-high", .issue)],
            model: ("o3", .issue), reasoning: (.high, .issue)),
        Row(name: "PR before issue", labels: [("[ai-model-o3]", .issue), ("[ai-model-gpt-5]", .pullRequest)],
            model: ("gpt-5", .pullRequest), reasoning: (.medium, .default)),
        Row(name: "each kind separately", labels: [("[ai-model-o3]", .issue), ("[ai-reasoning-low]", .pullRequest)],
            model: ("o3", .issue), reasoning: (.low, .pullRequest)),
        Row(name: "review revise: issue before PR", labels: [("[ai-model-o3]", .issue), ("[ai-model-gpt-5]", .pullRequest)],
            reviewRevise: true, model: ("o3", .issue), reasoning: (.medium, .default)),
        Row(name: "review revise falls back to PR", labels: [("[ai-reasoning-high]", .pullRequest)], reviewRevise: true,
            model: ("gpt-5-codex", .default), reasoning: (.high, .pullRequest)),
        Row(name: "sticky previous run", labels: [], previous: ("o3", .high), model: ("o3", .previousRun), reasoning: (.high, .previousRun)),
        Row(name: "labels beat sticky", labels: [("ai-model-gpt-5", .issue)], previous: ("o3", .high),
            model: ("gpt-5", .issue), reasoning: (.high, .previousRun)),
        Row(name: "sticky out of catalog falls to default", labels: [], previous: ("retired-model", nil),
            model: ("gpt-5-codex", .default), reasoning: (.medium, .default)),
        Row(name: "spec beats labels", labels: [("[ai-model-o3]", .pullRequest)], spec: ("gpt-5", "low"),
            model: ("gpt-5", .spec), reasoning: (.low, .spec)),
        Row(name: "conflict outside the deciding scope is ignored",
            labels: [("[ai-model-o3]", .pullRequest), ("[ai-model-gpt-5]", .issue), ("[ai-model-gpt-5-codex]", .issue)],
            model: ("o3", .pullRequest), reasoning: (.medium, .default)),
        Row(name: "case and brackets", labels: [("AI-MODEL-O3", .issue), ("[Ai-Reasoning-Low]", .issue)],
            model: ("o3", .issue), reasoning: (.low, .issue)),
    ]

    @Test(arguments: rows) func resolves(row: Row) throws {
        let request = ProfileRequest(model: row.spec.0, reasoning: row.spec.1, labels: Self.labels(row.labels),
                                     previousModel: row.previous.0, previousReasoning: row.previous.1, reviewRevise: row.reviewRevise)
        let resolved = try ProfileResolution.resolve(request, catalog: Self.catalog).get()
        #expect(resolved.model == Resolved(row.model.0, from: row.model.1))
        #expect(resolved.reasoning == Resolved(row.reasoning.0, from: row.reasoning.1))
    }

    @Test(arguments: [false, true]) func conflictInDecidingScopeFails(reviewRevise: Bool) {
        let deciding: LabelScope = reviewRevise ? .issue : .pullRequest
        let request = ProfileRequest(labels: Self.labels([("[ai-model-o3]", deciding), ("[ai-model-gpt-5]", deciding),
                                                          ("[ai-reasoning-low]", deciding), ("ai-reasoning-high", deciding)]),
                                     reviewRevise: reviewRevise)
        guard case .failure(let e) = ProfileResolution.resolve(request, catalog: Self.catalog) else {
            Issue.record("expected a failure")
            return
        }
        #expect(e.errors == [
            .conflict(LabelConflict(kind: .model, scope: deciding, labels: ["[ai-model-gpt-5]", "[ai-model-o3]"])),
            .conflict(LabelConflict(kind: .reasoning, scope: deciding, labels: ["[ai-reasoning-high]", "[ai-reasoning-low]"])),
        ])
    }

    @Test func catalogMisses() {
        let labelMiss = ProfileRequest(labels: Self.labels([("[ai-model-gpt-9]", .issue), ("[ai-reasoning-extra-high]", .pullRequest)]))
        guard case .failure(let e) = ProfileResolution.resolve(labelMiss, catalog: Self.catalog) else {
            Issue.record("expected a failure")
            return
        }
        #expect(e.errors == [
            .notInCatalog(kind: .model, value: "gpt-9", source: .issue, catalog: Self.catalog.models),
            .notInCatalog(kind: .reasoning, value: "extra-high", source: .pullRequest, catalog: ["low", "medium", "high"]),
        ])
        let unknownEffort = ProfileRequest(labels: Self.labels([("[ai-reasoning-ultra]", .issue)]))
        guard case .failure(let u) = ProfileResolution.resolve(unknownEffort, catalog: Self.catalog) else {
            Issue.record("expected a failure")
            return
        }
        #expect(u.errors == [.notInCatalog(kind: .reasoning, value: "ultra", source: .issue, catalog: ["low", "medium", "high"])])
        let specMiss = ProfileRequest(model: "gpt-9", labels: Self.labels([]))
        guard case .failure(let s) = ProfileResolution.resolve(specMiss, catalog: Self.catalog) else {
            Issue.record("expected a failure")
            return
        }
        #expect(s.errors == [.notInCatalog(kind: .model, value: "gpt-9", source: .spec, catalog: Self.catalog.models)])
        #expect(s.description.contains("gpt-9"))
    }
}

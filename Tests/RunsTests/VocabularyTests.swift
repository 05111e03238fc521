import Runs
import Testing

/// SPEC §3: the label vocabulary, one row per rule.
@Suite struct VocabularyTests {
    static let roleTable: [(Stage, Role)] = [
        (.intake, .pm), (.vision, .pm), (.prd, .pm), (.arch, .sa), (.design, .sa), (.plan, .em), (.release, .em),
        (.rethink, .em), (.dev, .dev), (.qa, .qa), (.postdeploy, .sre), (.ops, .sre), (.aiRepair, .sre),
        (.docAudit, .km), (.selfImprove, .km),
    ]

    @Test(arguments: roleTable) func stageRole(stage: Stage, role: Role) {
        #expect(stage.role == role)
        #expect(role.stages.contains(stage))
    }

    @Test func everyStageHasARoleRowAndSpecOrder() {
        #expect(Set(Self.roleTable.map(\.0)) == Set(Stage.allCases))
        #expect(Stage.allCases.map(\.rawValue) == ["intake", "vision", "prd", "arch", "design", "plan", "dev", "qa", "release",
                                                   "postdeploy", "ops", "doc-audit", "self-improve", "rethink", "ai-repair"])
    }

    @Test(arguments: Stage.allCases) func triggerOfEachStage(stage: Stage) {
        #expect(LabelVocabulary.classify("run:\(stage.rawValue)") == .trigger(stage, revise: false))
        #expect(LabelVocabulary.classify("RUN:\(stage.rawValue.uppercased())") == .trigger(stage, revise: false))
        let revise = LabelVocabulary.classify("run:\(stage.rawValue):revise")
        if stage == .rethink || stage == .aiRepair {
            #expect(revise == .unrelated, "no revise form for \(stage)")
            #expect(!stage.allowsRevise)
        } else {
            #expect(revise == .trigger(stage, revise: true))
            #expect(LabelVocabulary.classify(" Run:\(stage.rawValue):Revise ") == .trigger(stage, revise: true))
        }
    }

    static let table: [(String, LabelMeaning)] = [
        ("run:debug", .debug), ("Run:Debug", .debug),
        ("run:debug:revise", .unrelated), ("run:", .unrelated), ("run:nope", .unrelated), ("run:dev:", .unrelated),
        ("run:dev:revise:x", .unrelated), ("run:dev:again", .unrelated), ("rundev", .unrelated),
        ("state:in-review", .state("in-review")), ("state:approved", .state("approved")), ("state:blocked", .state("blocked")),
        ("state:superseded", .state("superseded")), ("State:Abandoned", .state("abandoned")), ("state:done", .unrelated),
        ("need:input", .need("input")), ("need:reviewer", .need("reviewer")), ("need:pm", .need("pm")), ("need:sa", .need("sa")),
        ("need:qa", .need("qa")), ("need:sre", .need("sre")), ("need:em", .need("em")), ("NEED:KM", .need("km")),
        ("need:dev", .unrelated),
        ("[ai-model-gpt-5]", .profile(.model, "gpt-5")), ("ai-model-gpt-5", .profile(.model, "gpt-5")),
        ("[AI-Model-GPT-5-Codex]", .profile(.model, "gpt-5-codex")), ("ai-model-o3", .profile(.model, "o3")),
        ("[ai-model-]", .unrelated), ("ai-model-", .unrelated), ("[ai-model-gpt-5", .unrelated), ("ai-model-gpt-5]", .unrelated),
        ("[ai-model-gpt 5]", .unrelated), ("[ai-model-ünï]", .unrelated),
        ("[ai-reasoning-low]", .profile(.reasoning, "low")), ("ai-reasoning-medium", .profile(.reasoning, "medium")),
        ("[AI-REASONING-HIGH]", .profile(.reasoning, "high")), ("ai-reasoning-extra-high", .profile(.reasoning, "extra-high")),
        ("[ai-reasoning-ultra]", .profile(.reasoning, "ultra")),
        ("bug", .unrelated), ("", .unrelated), ("[]", .unrelated), ("[", .unrelated),
    ]

    @Test(arguments: table) func classify(label: String, meaning: LabelMeaning) {
        #expect(LabelVocabulary.classify(label) == meaning)
    }

    @Test func decisionCollectsTriggersDebugAndIgnored() {
        let d = LabelDecision([
            RunLabel(name: "run:dev", scope: .issue), RunLabel(name: "run:debug", scope: .issue),
            RunLabel(name: "state:in-review", scope: .issue), RunLabel(name: "need:qa", scope: .pullRequest),
            RunLabel(name: "Run:QA:revise", scope: .pullRequest), RunLabel(name: "bug", scope: .issue),
        ])
        #expect(d.triggers == [TriggerLabel(stage: .dev, revise: false, label: "run:dev", scope: .issue),
                               TriggerLabel(stage: .qa, revise: true, label: "run:qa:revise", scope: .pullRequest)])
        #expect(d.debug)
        #expect(d.ignored == ["need:qa", "state:in-review"])
        #expect(d.conflicts.isEmpty)
        #expect(throws: Never.self) { try d.singleTrigger(in: .issue) }
        #expect(LabelDecision([RunLabel(name: "state:approved", scope: .issue)]).triggers.isEmpty, "state labels never start runs")
    }

    @Test(arguments: LabelScope.allCases) func conflictsInEachScope(scope: LabelScope) throws {
        let other: LabelScope = scope == .issue ? .pullRequest : .issue
        let d = LabelDecision([
            RunLabel(name: "run:dev", scope: scope), RunLabel(name: "run:dev:revise", scope: scope),
            RunLabel(name: "[ai-model-a]", scope: scope), RunLabel(name: "ai-model-b", scope: scope),
            RunLabel(name: "[ai-reasoning-low]", scope: scope), RunLabel(name: "ai-reasoning-high", scope: scope),
            RunLabel(name: "run:qa", scope: other), RunLabel(name: "[ai-model-c]", scope: other),
        ])
        #expect(d.conflicts == [
            LabelConflict(kind: .trigger, scope: scope, labels: ["run:dev", "run:dev:revise"]),
            LabelConflict(kind: .model, scope: scope, labels: ["[ai-model-a]", "[ai-model-b]"]),
            LabelConflict(kind: .reasoning, scope: scope, labels: ["[ai-reasoning-high]", "[ai-reasoning-low]"]),
        ])
        #expect(throws: LabelConflict.self) { try d.singleTrigger(in: scope) }
        #expect(try d.singleTrigger(in: other)?.stage == .qa)
    }

    @Test func sameValueInDifferentSpellingIsNoConflict() {
        let d = LabelDecision([
            RunLabel(name: "[ai-model-gpt-5]", scope: .issue), RunLabel(name: "AI-MODEL-GPT-5", scope: .issue),
            RunLabel(name: "run:dev", scope: .issue), RunLabel(name: "Run:Dev", scope: .issue),
        ])
        #expect(d.conflicts.isEmpty)
        #expect(d.profiles[.model]?[.issue] == ["gpt-5"])
        #expect(d.triggers.count == 1)
    }

    @Test func stagesAmongTriggersForReviewRevise() {
        let one = LabelDecision([RunLabel(name: "run:dev", scope: .pullRequest), RunLabel(name: "run:dev:revise", scope: .pullRequest)])
        #expect(one.stages(in: .pullRequest) == [.dev])
        let two = LabelDecision([RunLabel(name: "run:dev", scope: .pullRequest), RunLabel(name: "run:qa", scope: .pullRequest)])
        #expect(two.stages(in: .pullRequest) == [.dev, .qa])
    }
}

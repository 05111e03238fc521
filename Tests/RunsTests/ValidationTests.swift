import KubeAPI
import Runs
import Testing

/// RunValidation: the CRD's rules with apiserver field paths, for objects built in code.
@Suite struct ValidationTests {
    static func spec(_ change: (inout AgentRunSpec) -> Void) -> AgentRunSpec {
        var s = AgentRunSpec(repository: "acme/shop", issue: 1, stage: .dev)
        change(&s)
        return s
    }

    static let rows: [(String, AgentRunSpec, [String])] = [
        ("valid", spec { _ in }, []),
        ("repository", spec { $0.repository = "shop" }, ["spec.repository"]),
        ("repository unicode", spec { $0.repository = "äcme/shop" }, ["spec.repository"]),
        ("issue", spec { $0.issue = 0 }, ["spec.issue"]),
        ("pullRequest", spec { $0.pullRequest = -1 }, ["spec.pullRequest"]),
        ("revise rethink", spec { $0.stage = .rethink; $0.revise = true }, ["spec.revise"]),
        ("revise ai-repair", spec { $0.stage = .aiRepair; $0.revise = true }, ["spec.revise"]),
        ("model", spec { $0.model = "GPT 5" }, ["spec.model"]),
        ("label", spec { $0.labels = [RunLabel(name: "", scope: .issue)] }, ["spec.labels[0].name"]),
        ("timeout", spec { $0.timeout = .seconds(0) }, ["spec.timeout"]),
        ("image", spec { $0.agent = AgentOverrides(image: "") }, ["spec.agent.image"]),
        ("env name", spec { $0.agent = AgentOverrides(env: [AgentEnvVar(name: "1X", value: "")]) }, ["spec.agent.env[0].name"]),
        ("env reserved", spec { $0.agent = AgentOverrides(env: [AgentEnvVar(name: "CODEX_RUN", value: "")]) }, ["spec.agent.env[0].name"]),
        ("env duplicate", spec { $0.agent = AgentOverrides(env: [AgentEnvVar(name: "A", value: ""), AgentEnvVar(name: "A", value: "")]) },
         ["spec.agent.env[1]"]),
        ("quantity", spec { $0.agent = AgentOverrides(resources: AgentResources(limits: ["cpu": "two"])) }, ["spec.agent.resources.limits.cpu"]),
        ("sender", spec { $0.trigger = RunTrigger(source: .manual, sender: String(repeating: "s", count: 65)) }, ["spec.trigger.sender"]),
        ("args", spec { $0.agent = AgentOverrides(args: Array(repeating: "a", count: 257)) }, ["spec.agent.args"]),
        ("command item", spec { $0.agent = AgentOverrides(command: [String(repeating: "c", count: 4097)]) }, ["spec.agent.command[0]"]),
        ("delivery", spec { $0.trigger = RunTrigger(source: .github, deliveryID: String(repeating: "d", count: 129)) }, ["spec.trigger.deliveryID"]),
    ]

    @Test(arguments: rows) func fieldPaths(name: String, spec: AgentRunSpec, fields: [String]) {
        #expect(RunValidation.validate(AgentRun(spec: spec)).map(\.field) == fields, "\(name)")
    }

    @Test func nameLengthAndTransitions() {
        let run = AgentRun(metadata: ObjectMeta(name: String(repeating: "a", count: 64)), spec: Self.spec { _ in })
        #expect(RunValidation.validate(run).map(\.field) == ["metadata.name"])
        let old = AgentRun(spec: Self.spec { $0.cancel = true })
        let new = AgentRun(spec: Self.spec { $0.repository = "acme/other"; $0.issue = 2; $0.stage = .qa; $0.revise = true; $0.cancel = nil })
        #expect(RunValidation.validateUpdate(old: old, new: new).map(\.field) == ["spec.repository", "spec.issue", "spec.stage", "spec.revise", "spec.cancel"])
        #expect(RunValidation.validateUpdate(old: old, new: old).isEmpty)
    }

    @Test func runNamespaceRules() {
        var rns = RunNamespace(metadata: ObjectMeta(name: "codex.bad"),
                               spec: RunNamespaceSpec(repository: "acme/shop", issue: 1, stage: .dev, role: .pm, mode: .fullEnv, ttl: .seconds(0)))
        #expect(RunValidation.validate(rns).map(\.field) == ["metadata.name", "spec.role", "spec.ttl"])
        rns.metadata.name = "codex-ok"
        rns.spec.role = .dev
        rns.spec.ttl = .hours(1)
        #expect(RunValidation.validate(rns).isEmpty)
    }

    static let quantities: [(String, Bool)] = [
        ("1", true), ("500m", true), ("2Gi", true), ("1.5", true), (".5", true), ("1e3", true), ("+1", true), ("-1", true),
        ("", false), ("Gi", false), ("1GiB", false), ("1.2.3", false), ("1e", false), ("two", false),
    ]

    @Test(arguments: quantities) func quantity(text: String, valid: Bool) {
        #expect(Quantity.isValid(text) == valid)
    }
}

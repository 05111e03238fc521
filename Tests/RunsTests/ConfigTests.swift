@testable import Runs
import Testing

/// The operator configuration: defaults, the example file, and every error kind with its position.
@Suite struct ConfigTests {
    static func load(_ text: String) -> Result<OperatorConfig, ConfigErrors> { OperatorConfig.load(text, file: "c.yaml") }

    static func errors(_ text: String) -> [String] {
        switch load(text) {
        case .success: []
        case .failure(let e): e.errors.map(\.description)
        }
    }

    @Test(arguments: ["", "\n", "# only a comment\n", "---\n", "{}\n"]) func emptyFileIsTheDefaults(text: String) throws {
        #expect(try Self.load(text).get() == .defaults)
    }

    @Test func defaultsMatchTheSpec() {
        let d = OperatorConfig.defaults
        #expect(d.slots.maxActiveRuns == 20 && d.slots.perRepository == 3)
        #expect(d.namespacePrefix == "codex")
        #expect(d.namespaceTTL.default == .hours(24))
        #expect(d.graces.supersededGrace == .minutes(15) && d.graces.codeOnlyGrace == .minutes(10))
        #expect(d.graces.debugMaxRetention == .hours(72) && d.graces.containerConfigErrorGrace == .minutes(2))
        #expect(d.sweep.interval == .minutes(5) && d.sweep.orphanGrace == .minutes(10) && d.sweep.finishedRunRetention == .days(7))
        #expect(d.mode(for: .dev) == .fullEnv && d.mode(for: .prd) == .codeOnly)
        #expect(d.timeout(for: .dev) == .hours(3) && d.timeout(for: .plan) == .hours(1))
        #expect(d.ttl(for: .sre) == .hours(24))
    }

    @Test func exampleFileIsTheCommentedDefaults() throws {
        let example = try RepositoryFiles.text("examples/config.yaml")
        #expect(try Self.load(example).get() == .defaults)
        #expect(example == OperatorConfig.defaults.render(comments: true),
                "regenerate with: codex-k8s validate-config --print-defaults > examples/config.yaml")
    }

    @Test func everyKeyHasAComment() {
        var missing: [String] = []
        func walk(_ node: ConfigYAML.Node, _ path: String, depth: Int) {
            guard case .map(let pairs) = node else { return }
            for (key, value) in pairs {
                let sub = path.isEmpty ? key : "\(path).\(key)"
                if depth < 2 || path.hasSuffix("byStage") || path.hasSuffix("byRole") {
                    if ConfigDocs.comments[sub] == nil { missing.append(sub) }
                    walk(value, sub, depth: depth + 1)
                }
            }
        }
        walk(.map(OperatorConfig.defaults.tree()), "", depth: 0)
        #expect(missing.isEmpty, "keys without a comment: \(missing)")
        #expect(OperatorConfig.defaults.tree().map(\.0) == OperatorConfig.topLevelKeys)
    }

    @Test func renderRoundTripsAChangedConfig() throws {
        let text = """
        controlNamespace: ops
        namespacePrefix: run
        slots: {maxActiveRuns: 50, perRepository: 5}
        timeouts:
          default: 90m
          byStage: {plan: 1h30m, dev: 1d}
        modes:
          byStage: {dev: code-only}
        namespaceTTL:
          byRole: {sre: 3d}
        graces: {closeGrace: 90s}
        agent:
          image: "registry.example/agent:1.2"
          args: ["--model", "x y", "quote\\"d"]
          env: [{name: HTTP_PROXY, value: "http://proxy:3128"}, {name: EMPTY, value: ""}]
          credentials:
            env: [{name: TOKEN, key: token.txt}]
        networkPolicy: {egressPorts: [443], extraDeniedCIDRs: [10.0.0.0/8, "fd00::/8"]}
        profiles: {models: [o3], defaultModel: o3, reasoning: [high], defaultReasoning: high}
        webhook:
          secrets: [{file: /etc/secret/a}, {env: B}]
          allowedRepositories: [acme/shop, acme/*]
          allowedBots: ["dependabot[bot]"]
        """
        let c = try Self.load(text).get()
        #expect(c.timeout(for: .dev) == .days(1) && c.timeout(for: .plan) == .minutes(90) && c.timeout(for: .qa) == .hours(2))
        #expect(c.mode(for: .dev) == .codeOnly && c.mode(for: .qa) == .fullEnv, "byStage merges over the defaults")
        #expect(c.ttl(for: .sre) == .days(3) && c.ttl(for: .pm) == .hours(24))
        #expect(c.agent.args == ["--model", "x y", "quote\"d"])
        #expect(c.webhook.secrets == [.file("/etc/secret/a"), .env("B")])
        #expect(try Self.load(c.render()).get() == c)
        #expect(try Self.load(c.render(comments: true)).get() == c)
    }

    /// One row per error kind: the file, the expected `file:line:column: path: message`.
    static let errorRows: [(String, String)] = [
        ("slots: [1\n", "c.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence)"),
        ("slotz: {}\n", "c.yaml:1:1: slotz: unknown key \"slotz\" (did you mean \"slots\"?)"),
        ("slots:\n  maxActiveRun: 3\n", "c.yaml:2:3: slots.maxActiveRun: unknown key \"maxActiveRun\" (did you mean \"maxActiveRuns\"?)"),
        ("bogus: 1\n", "c.yaml:1:1: bogus: unknown key \"bogus\""),
        ("timeouts:\n  byStage:\n    deve: 1h\n", "c.yaml:3:5: timeouts.byStage.deve: unknown key \"deve\" (did you mean \"dev\"?)"),
        ("namespaceTTL:\n  byRole: {ops: 1h}\n", "c.yaml:2:12: namespaceTTL.byRole.ops: unknown key \"ops\""),
        ("slots:\n  maxActiveRuns: many\n", "c.yaml:2:18: slots.maxActiveRuns: expected an integer, got \"many\""),
        ("slots:\n  perRepository: 0\n", "c.yaml:2:18: slots.perRepository: must be at least 1, got 0"),
        ("slots: {maxActiveRuns: 2, perRepository: 3}\n", "c.yaml:1:42: slots.perRepository: must not exceed slots.maxActiveRuns (2), got 3"),
        ("sweep:\n  interval: 5 minutes\n", "c.yaml:2:13: sweep.interval: invalid duration \"5 minutes\" (want a number and a unit s, m, h or d, e.g. 90s, 15m, 24h, 3d)"),
        ("graces:\n  closeGrace: 0s\n", "c.yaml:2:15: graces.closeGrace: must be greater than zero"),
        ("modes:\n  default: full\n", "c.yaml:2:12: modes.default: must be one of full-env, code-only, got \"full\" (did you mean \"full-env\"?)"),
        ("slots: 3\n", "c.yaml:1:8: slots: expected a mapping, got a scalar"),
        ("agent:\n  command: codex\n", "c.yaml:2:12: agent.command: expected a sequence, got a scalar"),
        ("agent:\n  resources:\n    limits: {cpu: lots}\n", "c.yaml:3:19: agent.resources.limits.cpu: invalid quantity \"lots\" (e.g. 500m, 2, 1Gi)"),
        ("agent:\n  env:\n    - name: CODEX_RUN\n      value: x\n", "c.yaml:3:13: agent.env[0].name: CODEX_ variables are set by the operator"),
        ("namespacePrefix: Codex_Runs\n", "c.yaml:1:18: namespacePrefix: must be a DNS-1123 label of at most 16 characters, got \"Codex_Runs\""),
        ("controlNamespace: a.b\n", "c.yaml:1:19: controlNamespace: must be a DNS-1123 label, got \"a.b\""),
        ("profiles:\n  defaultModel: gpt-9\n", "c.yaml:2:17: profiles.defaultModel: \"gpt-9\" is not in profiles.models"),
        ("profiles:\n  reasoning: [low, ultra]\n", "c.yaml:2:20: profiles.reasoning[1]: must be one of low, medium, high, extra-high, got \"ultra\""),
        ("networkPolicy:\n  egressPorts: [70000]\n", "c.yaml:2:17: networkPolicy.egressPorts[0]: must be at most 65535, got 70000"),
        ("networkPolicy:\n  extraDeniedCIDRs: [10.0.0.0/33]\n", "c.yaml:2:22: networkPolicy.extraDeniedCIDRs[0]: invalid CIDR \"10.0.0.0/33\" (e.g. 10.0.0.0/8)"),
        ("webhook:\n  secrets: [{env: A, file: /b}]\n", "c.yaml:2:28: webhook.secrets[0].file: give exactly one of env or file"),
        ("webhook:\n  allowedRepositories: [shop]\n", "c.yaml:2:25: webhook.allowedRepositories[0]: must be owner/name or owner/*, got \"shop\""),
        ("agent:\n  credentials:\n    env: [{name: TOKEN}]\n", "c.yaml:3:11: agent.credentials.env[0]: needs a key"),
        ("agent:\n  env:\n    - value: x\n", "c.yaml:3:7: agent.env[0]: needs a name"),
        ("agent:\n  imagePullPolicy: Sometimes\n", "c.yaml:2:20: agent.imagePullPolicy: must be one of Always, IfNotPresent, Never, got \"Sometimes\""),
        ("webhook:\n  secrets: [{file: relative}]\n", "c.yaml:2:20: webhook.secrets[0].file: must be an absolute path, got \"relative\""),
        ("profiles:\n  models: []\n", "c.yaml:2:11: profiles.models: must list at least one model"),
        ("slots: {}\nslots: {}\n", "c.yaml:2:1: duplicate key \"slots\""),
        ("- a\n", "c.yaml:1:1: expected a mapping, got a sequence"),
    ]

    @Test(arguments: errorRows) func errorKind(text: String, expected: String) {
        #expect(Self.errors(text) == [expected])
    }

    @Test func allErrorsAreReportedInFileOrder() {
        let e = Self.errors("sweep:\n  interval: x\nslotz: 1\nmodes:\n  default: y\n")
        #expect(e.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == ["c.yaml:2:13", "c.yaml:3:1", "c.yaml:5:12"])
    }

    static let durations: [(String, Int64?)] = [
        ("90s", 90), ("15m", 900), ("24h", 86400), ("3d", 259_200), ("1h30m", 5400), ("0s", 0),
        ("", nil), ("5", nil), ("m", nil), ("1.5h", nil), ("-1h", nil), ("1w", nil), ("1H", nil), (" 1h", nil), ("99999999999d", nil), ("72h", 259_200), ("7d", 604_800),
    ]

    @Test(arguments: durations) func durationSyntax(text: String, seconds: Int64?) {
        #expect(RunDuration.parse(text)?.seconds == seconds)
        if let d = RunDuration.parse(text) { #expect(RunDuration.parse(d.description) == d) }
    }
}

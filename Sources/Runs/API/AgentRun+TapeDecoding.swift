import KubeAPI

// `TapeDecodable` forms of the AgentRun and its spec types: the operator's hottest decode (every
// AgentRun watch event and status-update answer). Contract: `TapeDecodable` — the same values and
// errors as the synthesized/custom `init(from:)`s beside the models.

extension AgentRun: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`).
    package static let skipPlan: JSONSkipPlan? = .kubeObject()

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), spec: try o.decode("spec"), status: try o.decodeIfPresent("status"))
    }
}

extension AgentRunSpec: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(repository: try o.string("repository"), issue: try o.int64("issue"),
                  pullRequest: try o.int64IfPresent("pullRequest"), stage: try o.decode("stage"),
                  revise: try o.boolIfPresent("revise"), mode: try o.decodeIfPresent("mode"),
                  model: try o.stringIfPresent("model"), reasoning: try o.decodeIfPresent("reasoning"),
                  labels: try o.arrayIfPresent("labels")?.map { try RunLabel(tape: $0) },
                  debug: try o.boolIfPresent("debug"), timeout: try o.decodeIfPresent("timeout"),
                  agent: try o.decodeIfPresent("agent"), cancel: try o.boolIfPresent("cancel"),
                  trigger: try o.decodeIfPresent("trigger"))
    }
}

extension RunLabel: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(name: try o.string("name"), scope: try o.decode("scope"))
    }
}

extension AgentOverrides: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(image: try o.stringIfPresent("image"), command: try o.stringArrayIfPresent("command"),
                  args: try o.stringArrayIfPresent("args"),
                  env: try o.arrayIfPresent("env")?.map { try AgentEnvVar(tape: $0) },
                  resources: try o.decodeIfPresent("resources"))
    }
}

extension AgentEnvVar: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(name: try o.string("name"), value: try o.string("value"))
    }
}

extension AgentResources: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(requests: try o.present("requests").map(Self.quantities),
                  limits: try o.present("limits").map(Self.quantities))
    }

    /// `[String: QuantityText]` then `mapValues(\.text)`: every member in document order (a
    /// duplicate name keeps the first value, as `Dictionary.init(from:)` decodes the first
    /// occurrence for each listed key).
    private static func quantities(_ value: TapeValue) throws -> [String: String] {
        let o = try value.object()
        var out: [String: String] = [:]
        for (name, v) in o.members where out[name] == nil {
            out[name] = try QuantityText(tape: v).text
        }
        return out
    }
}

extension QuantityText {
    /// As `init(from:)`: a string, else an integer's decimal text, else a number's `Double` text
    /// (anything else: `.typeMismatch` for `Double`).
    init(tape: TapeValue) throws {
        if let s = try? tape.string() {
            text = s
        } else if let i = try? tape.int64() {
            text = String(i)
        } else {
            text = String(try tape.double())
        }
    }
}

extension RunTrigger: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(source: try o.decode("source"), deliveryID: try o.stringIfPresent("deliveryID"),
                  event: try o.stringIfPresent("event"), action: try o.stringIfPresent("action"),
                  label: try o.stringIfPresent("label"), sender: try o.stringIfPresent("sender"),
                  receivedAt: try o.timeIfPresent("receivedAt"))
    }
}

extension RunDuration: TapeDecodable {
    /// As `init(from:)`: a string in `parse`'s grammar, else `.dataCorrupted`.
    package init(tape: TapeValue) throws {
        let text = try tape.string()
        guard let d = RunDuration.parse(text) else {
            throw tape.dataCorrupted("invalid duration \"\(text)\" (want e.g. 90s, 15m, 24h, 3d)")
        }
        self = d
    }
}

extension Stage: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension RunMode: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension Reasoning: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension Role: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension LabelScope: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension RunTrigger.Source: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}

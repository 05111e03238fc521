import YAML

extension OperatorConfig {
    /// The top-level keys, in the order `render` prints them.
    public static let topLevelKeys = ["controlNamespace", "namespacePrefix", "slots", "timeouts", "modes", "namespaceTTL",
                                      "graces", "sweep", "agent", "quota", "limitRange", "networkPolicy", "profiles", "webhook", "github"]

    /// Parses and validates a configuration file. Absent keys keep their defaults (maps keyed by
    /// stage or role merge over the defaults; every other value replaces its default).
    ///
    /// - Returns: the effective configuration, or every error found (YAML syntax, unknown keys
    ///   with "did you mean", wrong types, invalid durations/quantities/names, cross-key rules),
    ///   each with file:line:column and key path.
    public static func load(_ text: String, file: String) -> Result<OperatorConfig, ConfigErrors> {
        let root: YAMLNode
        do {
            root = try YAMLNode.parse(text, file: file)
        } catch {
            return .failure(ConfigErrors([ConfigError(file: file, line: error.mark.line, column: error.mark.column,
                                                      path: "", message: error.message)]))
        }
        var r = ConfigReader(file: file)
        var c = OperatorConfig.defaults
        var marks: [String: YAMLNode] = [:]
        r.section(root, "", keys: topLevelKeys) { r, key, v, path in
            marks[key] = v
            switch key {
            case "controlNamespace":
                if let s = r.string(v, path) {
                    if RunNames.isDNSLabel(s) { c.controlNamespace = s } else { r.fail(v, path, "must be a DNS-1123 label, got \"\(s)\"") }
                }
            case "namespacePrefix":
                if let s = r.string(v, path) {
                    if RunNames.isDNSLabel(s) && s.count <= maxNamespacePrefixLength { c.namespacePrefix = s } else {
                        r.fail(v, path, "must be a DNS-1123 label of at most \(maxNamespacePrefixLength) characters, got \"\(s)\"")
                    }
                }
            case "slots": c.slots.read(&r, v, path, marks: &marks)
            case "timeouts": c.timeouts.read(&r, v, path) { r, n, p in r.duration(n, p) }
            case "modes": c.modes.read(&r, v, path) { r, n, p in r.oneOf(n, p, RunMode.self) }
            case "namespaceTTL":
                r.section(v, path, keys: ["default", "byRole"]) { r, key, v, path in
                    if key == "default" { if let d = r.duration(v, path) { c.namespaceTTL.default = d } }
                    else if let m = r.keyed(v, path, Role.self, { r, n, p in r.duration(n, p) }) { c.namespaceTTL.byRole.merge(m) { $1 } }
                }
            case "graces": c.graces.read(&r, v, path)
            case "sweep": c.sweep.read(&r, v, path)
            case "agent": c.agent.read(&r, v, path)
            case "quota":
                r.section(v, path, keys: ["hard"]) { r, _, v, path in if let q = r.quantities(v, path) { c.quota.hard = q } }
            case "limitRange":
                r.section(v, path, keys: ["defaultRequests", "defaultLimits", "max"]) { r, key, v, path in
                    guard let q = r.quantities(v, path) else { return }
                    switch key {
                    case "defaultRequests": c.limitRange.defaultRequests = q
                    case "defaultLimits": c.limitRange.defaultLimits = q
                    default: c.limitRange.max = q
                    }
                }
            case "networkPolicy": c.networkPolicy.read(&r, v, path)
            case "profiles": c.profiles.read(&r, v, path, marks: &marks)
            case "webhook": c.webhook.read(&r, v, path)
            case "github": c.github.read(&r, v, path)
            default: break
            }
        }
        c.crossCheck(&r, root: root, marks: marks)
        let errors = r.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return errors.isEmpty ? .success(c) : .failure(ConfigErrors(errors))
    }

    /// Rules that span keys: the catalog defaults are in the catalogs; perRepository ≤ maxActiveRuns.
    private func crossCheck(_ r: inout ConfigReader, root: YAMLNode, marks: [String: YAMLNode]) {
        if !profiles.models.contains(profiles.defaultModel) {
            r.fail(marks["profiles.defaultModel"] ?? marks["profiles"] ?? root, "profiles.defaultModel",
                   "\"\(profiles.defaultModel)\" is not in profiles.models")
        }
        if !profiles.reasoning.contains(profiles.defaultReasoning) {
            r.fail(marks["profiles.defaultReasoning"] ?? marks["profiles"] ?? root, "profiles.defaultReasoning",
                   "\"\(profiles.defaultReasoning.rawValue)\" is not in profiles.reasoning")
        }
        if slots.perRepository > slots.maxActiveRuns {
            r.fail(marks["slots.perRepository"] ?? marks["slots"] ?? root, "slots.perRepository",
                   "must not exceed slots.maxActiveRuns (\(slots.maxActiveRuns)), got \(slots.perRepository)")
        }
    }
}

extension ByStage {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String,
                       _ value: (inout ConfigReader, YAMLNode, String) -> Value?) {
        r.section(node, path, keys: ["default", "byStage"]) { r, key, v, path in
            if key == "default" { if let d = value(&r, v, path) { self.default = d } }
            else if let m = r.keyed(v, path, Stage.self, value) { byStage.merge(m) { $1 } }
        }
    }
}

extension Slots {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String, marks: inout [String: YAMLNode]) {
        r.section(node, path, keys: ["maxActiveRuns", "perRepository"]) { r, key, v, path in
            marks[path] = v
            guard let n = r.int(v, path, min: 1, max: 10_000) else { return }
            if key == "maxActiveRuns" { maxActiveRuns = n } else { perRepository = n }
        }
    }
}

extension Graces {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["supersededGrace", "codeOnlyGrace", "closeGrace", "containerConfigErrorGrace",
                                     "debugMaxRetention"]) { r, key, v, path in
            guard let d = r.duration(v, path) else { return }
            switch key {
            case "supersededGrace": supersededGrace = d
            case "codeOnlyGrace": codeOnlyGrace = d
            case "closeGrace": closeGrace = d
            case "containerConfigErrorGrace": containerConfigErrorGrace = d
            default: debugMaxRetention = d
            }
        }
    }
}

extension Sweep {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["interval", "orphanGrace", "finishedRunRetention"]) { r, key, v, path in
            guard let d = r.duration(v, path) else { return }
            switch key {
            case "interval": interval = d
            case "orphanGrace": orphanGrace = d
            default: finishedRunRetention = d
            }
        }
    }
}

extension ProfileCatalog {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String, marks: inout [String: YAMLNode]) {
        r.section(node, path, keys: ["models", "defaultModel", "reasoning", "defaultReasoning"]) { r, key, v, path in
            marks[path] = v
            switch key {
            case "models":
                if let m = r.list(v, path, { r, n, p in r.modelName(n, p) }) {
                    if m.isEmpty { r.fail(v, path, "must list at least one model") } else { models = m }
                }
            case "defaultModel": if let m = r.modelName(v, path) { defaultModel = m }
            case "reasoning":
                if let m = r.list(v, path, { r, n, p in r.oneOf(n, p, Reasoning.self) }) {
                    if m.isEmpty { r.fail(v, path, "must list at least one reasoning effort") } else { reasoning = m }
                }
            default: if let m = r.oneOf(v, path, Reasoning.self) { defaultReasoning = m }
            }
        }
    }
}

extension ConfigReader {
    mutating func modelName(_ node: YAMLNode, _ path: String) -> String? {
        guard let s = string(node, path) else { return nil }
        guard ProfileValue.isWellFormed(s) else {
            fail(node, path, "model names are lower-case letters, digits, '.', '_' or '-' (at most 64), got \"\(s)\"")
            return nil
        }
        return s
    }
}

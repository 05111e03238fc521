/// Prints a configuration as YAML that `OperatorConfig.load` reads back to the same value:
/// every key, in a fixed order, optionally each with its one-line comment
/// (`examples/config.yaml` is `render(.defaults, comments: true)`).
extension OperatorConfig {
    public func render(comments: Bool = false) -> String {
        var out = ""
        if comments { out += ConfigDocs.header }
        ConfigYAML.emit(.map(tree()), path: "", indent: 0, comments: comments, into: &out)
        return out
    }

    func tree() -> [(String, ConfigYAML.Node)] {
        typealias N = ConfigYAML.Node
        func duration(_ d: RunDuration) -> N { .scalar(d.description) }
        func quantities(_ q: [String: String]) -> N { .map(q.sorted { $0.key < $1.key }.map { ($0.key, .scalar($0.value)) }) }
        func strings(_ l: [String]) -> N { .list(l.map(N.scalar)) }
        func byStage<V>(_ b: ByStage<V>, _ f: (V) -> N) -> N {
            .map([("default", f(b.default)), ("byStage", .map(Stage.allCases.compactMap { s in b.byStage[s].map { (s.rawValue, f($0)) } }))])
        }
        return [
            ("controlNamespace", .scalar(controlNamespace)),
            ("namespacePrefix", .scalar(namespacePrefix)),
            ("slots", .map([("maxActiveRuns", .scalar("\(slots.maxActiveRuns)")), ("perRepository", .scalar("\(slots.perRepository)"))])),
            ("timeouts", byStage(timeouts, duration)),
            ("modes", byStage(modes) { .scalar($0.rawValue) }),
            ("namespaceTTL", .map([("default", duration(namespaceTTL.default)),
                                   ("byRole", .map(Role.allCases.compactMap { r in namespaceTTL.byRole[r].map { (r.rawValue, duration($0)) } }))])),
            ("graces", .map([("supersededGrace", duration(graces.supersededGrace)), ("codeOnlyGrace", duration(graces.codeOnlyGrace)),
                             ("closeGrace", duration(graces.closeGrace)),
                             ("containerConfigErrorGrace", duration(graces.containerConfigErrorGrace)),
                             ("debugMaxRetention", duration(graces.debugMaxRetention))])),
            ("sweep", .map([("interval", duration(sweep.interval)), ("orphanGrace", duration(sweep.orphanGrace)),
                            ("finishedRunRetention", duration(sweep.finishedRunRetention))])),
            ("agent", .map([
                ("image", .scalar(agent.image)), ("imagePullPolicy", .scalar(agent.imagePullPolicy)),
                ("command", strings(agent.command)), ("args", strings(agent.args)),
                ("env", .list(agent.env.map { .map([("name", .scalar($0.name)), ("value", .scalar($0.value))]) })),
                ("resources", .map([("requests", quantities(agent.resources.requests ?? [:])),
                                    ("limits", quantities(agent.resources.limits ?? [:]))])),
                ("credentials", .map([("secretName", .scalar(agent.credentials.secretName)),
                                      ("env", .list(agent.credentials.env.map { .map([("name", .scalar($0.name)), ("key", .scalar($0.key))]) }))])),
            ])),
            ("quota", .map([("hard", quantities(quota.hard))])),
            ("limitRange", .map([("defaultRequests", quantities(limitRange.defaultRequests)),
                                 ("defaultLimits", quantities(limitRange.defaultLimits)), ("max", quantities(limitRange.max))])),
            ("networkPolicy", .map([("egressPorts", .list(networkPolicy.egressPorts.map { .scalar("\($0)") })),
                                    ("extraDeniedCIDRs", strings(networkPolicy.extraDeniedCIDRs))])),
            ("profiles", .map([("models", strings(profiles.models)), ("defaultModel", .scalar(profiles.defaultModel)),
                               ("reasoning", strings(profiles.reasoning.map(\.rawValue))),
                               ("defaultReasoning", .scalar(profiles.defaultReasoning.rawValue))])),
            ("webhook", .map([
                ("secrets", .list(webhook.secrets.map { s in
                    switch s {
                    case .env(let name): .map([("env", .scalar(name))])
                    case .file(let path): .map([("file", .scalar(path))])
                    }
                })),
                ("allowedRepositories", strings(webhook.allowedRepositories)),
                ("allowedBots", strings(webhook.allowedBots)),
            ])),
            ("github", .map([("apiURL", .scalar(github.apiURL)), ("tokenFile", .scalar(github.tokenFile)),
                             ("resync", duration(github.resync))])),
        ]
    }
}

/// A minimal block-style YAML emitter for the configuration tree.
enum ConfigYAML {
    indirect enum Node {
        case scalar(String)
        case list([Node])
        case map([(String, Node)])
    }

    static func emit(_ node: Node, path: String, indent: Int, comments: Bool, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        guard case .map(let pairs) = node else { return }
        for (key, value) in pairs {
            let sub = path.isEmpty ? key : "\(path).\(key)"
            if comments, let c = ConfigDocs.comments[sub] {
                if indent == 0 && !out.isEmpty { out += "\n" }
                out += "\(pad)# \(c)\n"
            }
            switch value {
            case .scalar(let s): out += "\(pad)\(key): \(quote(s))\n"
            case .map(let m) where m.isEmpty: out += "\(pad)\(key): {}\n"
            case .list(let l) where l.isEmpty: out += "\(pad)\(key): []\n"
            case .map:
                out += "\(pad)\(key):\n"
                emit(value, path: sub, indent: indent + 2, comments: comments, into: &out)
            case .list(let items):
                out += "\(pad)\(key):\n"
                for item in items {
                    switch item {
                    case .scalar(let s): out += "\(pad)  - \(quote(s))\n"
                    case .map(let m):
                        var first = true
                        for (k, v) in m {
                            guard case .scalar(let s) = v else { continue }
                            out += "\(pad)  \(first ? "- " : "  ")\(k): \(quote(s))\n"
                            first = false
                        }
                    case .list: break
                    }
                }
            }
        }
    }

    /// Plain when the text reads back as the same string, double-quoted (JSON escapes) otherwise.
    static func quote(_ s: String) -> String {
        let plainSafe = !s.isEmpty && s.unicodeScalars.allSatisfy { RunValidation.isASCIIAlnum($0) || "_./-".unicodeScalars.contains($0) }
            && !s.hasPrefix("-") && !s.hasPrefix(".")
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(s.lowercased())
        if plainSafe { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += "\\x" + String(c.value, radix: 16).leftPad(2) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

import YAML

extension AgentTemplate {
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]

    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["image", "imagePullPolicy", "command", "args", "env", "resources", "credentials"]) { r, key, v, path in
            switch key {
            case "image":
                if let s = r.string(v, path) {
                    if s.isEmpty || s.count > 512 { r.fail(v, path, "must be 1 to 512 characters") } else { image = s }
                }
            case "imagePullPolicy":
                if let s = r.string(v, path) {
                    if Self.pullPolicies.contains(s) { imagePullPolicy = s } else {
                        r.fail(v, path, "must be one of \(Self.pullPolicies.joined(separator: ", ")), got \"\(s)\"")
                    }
                }
            case "command": if let l = r.list(v, path, { r, n, p in r.string(n, p) }) { command = l }
            case "args": if let l = r.list(v, path, { r, n, p in r.string(n, p) }) { args = l }
            case "env": if let l = r.list(v, path, { r, n, p in r.envVar(n, p) }) { env = l }
            case "resources":
                r.section(v, path, keys: ["requests", "limits"]) { r, key, v, path in
                    guard let q = r.quantities(v, path) else { return }
                    if key == "requests" { resources.requests = q } else { resources.limits = q }
                }
            default: credentials.read(&r, v, path)
            }
        }
    }
}

extension AgentTemplate.Credentials {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["secretName", "env"]) { r, key, v, path in
            if key == "secretName" {
                if let s = r.string(v, path) {
                    if RunNames.isDNSLabel(s) || (s.count <= 253 && s.split(separator: ".").allSatisfy { RunNames.isDNSLabel(String($0)) }) {
                        secretName = s
                    } else {
                        r.fail(v, path, "must be a DNS-1123 subdomain, got \"\(s)\"")
                    }
                }
            } else if let l = r.list(v, path, { r, n, p -> AgentTemplate.CredentialKey? in
                var name: String?
                var key: String?
                r.section(n, p, keys: ["name", "key"]) { r, k, v, path in
                    guard let s = r.string(v, path) else { return }
                    if k == "name" {
                        if RunValidation.isEnvName(s) { name = s } else { r.fail(v, path, "must be a C identifier, got \"\(s)\"") }
                    } else if !s.isEmpty, s.count <= 253, s.unicodeScalars.allSatisfy({ RunValidation.isASCIIAlnum($0) || "-._".unicodeScalars.contains($0) }) {
                        key = s
                    } else {
                        r.fail(v, path, "must be a Secret key (letters, digits, '-', '_', '.'), got \"\(s)\"")
                    }
                }
                if n.pairs != nil {
                    if n["name"] == nil { r.fail(n, p, "needs a name") }
                    if n["key"] == nil { r.fail(n, p, "needs a key") }
                }
                guard let name, let key else { return nil }
                return AgentTemplate.CredentialKey(name: name, key: key)
            }) {
                env = l
            }
        }
    }
}

extension ConfigReader {
    mutating func envVar(_ node: YAMLNode, _ path: String) -> AgentEnvVar? {
        var name: String?
        var value: String?
        section(node, path, keys: ["name", "value"]) { r, k, v, path in
            guard let s = r.string(v, path) else { return }
            if k == "value" { value = s; return }
            if !RunValidation.isEnvName(s) { r.fail(v, path, "must be a C identifier, got \"\(s)\"") }
            else if s.hasPrefix("CODEX_") { r.fail(v, path, "CODEX_ variables are set by the operator") }
            else { name = s }
        }
        if node.pairs != nil, node["name"] == nil { fail(node, path, "needs a name") }
        guard let name else { return nil }
        return AgentEnvVar(name: name, value: value ?? "")
    }
}

extension NetworkPolicyTemplate {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["egressPorts", "extraDeniedCIDRs"]) { r, key, v, path in
            if key == "egressPorts" {
                if let l = r.list(v, path, { r, n, p in r.int(n, p, min: 1, max: 65535) }) { egressPorts = l }
            } else if let l = r.list(v, path, { r, n, p -> String? in
                guard let s = r.string(n, p) else { return nil }
                guard CIDR.isValid(s) else {
                    r.fail(n, p, "invalid CIDR \"\(s)\" (e.g. 10.0.0.0/8)")
                    return nil
                }
                return s
            }) {
                extraDeniedCIDRs = l
            }
        }
    }
}

extension WebhookSettings {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["secrets", "allowedRepositories", "allowedBots"]) { r, key, v, path in
            switch key {
            case "secrets":
                if let l = r.list(v, path, { r, n, p -> SecretSource? in
                    var source: SecretSource?
                    r.section(n, p, keys: ["env", "file"]) { r, k, v, path in
                        guard let s = r.string(v, path) else { return }
                        if source != nil { r.fail(v, path, "give exactly one of env or file"); return }
                        if k == "env" {
                            if RunValidation.isEnvName(s) { source = .env(s) } else { r.fail(v, path, "must be a C identifier, got \"\(s)\"") }
                        } else if s.hasPrefix("/") { source = .file(s) } else { r.fail(v, path, "must be an absolute path, got \"\(s)\"") }
                    }
                    if n.pairs?.isEmpty == true { r.fail(n, p, "give exactly one of env or file") }
                    return source
                }) {
                    secrets = l
                }
            case "allowedRepositories":
                if let l = r.list(v, path, { r, n, p -> String? in
                    guard let s = r.string(n, p) else { return nil }
                    let wildcard = s.hasSuffix("/*") && RunValidation.isRepository(String(s.dropLast()) + "x")
                    guard wildcard || RunValidation.isRepository(s) else {
                        r.fail(n, p, "must be owner/name or owner/*, got \"\(s)\"")
                        return nil
                    }
                    return s
                }) {
                    allowedRepositories = l
                }
            default:
                if let l = r.list(v, path, { r, n, p in r.string(n, p) }) { allowedBots = l }
            }
        }
    }
}

/// IPv4 and IPv6 CIDR syntax (`10.0.0.0/8`, `fd00::/8`).
enum CIDR {
    static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return false }
        let address = parts[0]
        if address.contains(":") {
            guard bits >= 0, bits <= 128 else { return false }
            let groups = address.split(separator: ":", omittingEmptySubsequences: false)
            guard groups.count >= 3, groups.count <= 8 else { return false }
            return groups.allSatisfy { $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }
                && address.ranges(of: "::").count <= 1
        }
        guard bits >= 0, bits <= 32 else { return false }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { o in
            !o.isEmpty && o.count <= 3 && o.allSatisfy { $0.isASCII && $0.isNumber } && (Int(o) ?? 256) <= 255
        }
    }
}

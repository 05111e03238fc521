import Foundation
import KubeAPI

/// NetworkPolicy validation (`pkg/apis/networking/validation`): label selectors (operators,
/// values, keys), peers (exactly one kind; `ipBlock.cidr` a CIDR, `except` inside it), ports
/// (1–65535, protocol TCP/UDP/SCTP, endPort), and `policyTypes` (Ingress/Egress, at most two).
enum NetworkPolicyValidation {
    static func errors(_ obj: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = obj["spec"] ?? [:]
        errors += labelSelector(spec["podSelector"], path: "spec.podSelector")
        for (direction, peersKey) in [("ingress", "from"), ("egress", "to")] {
            for (i, rule) in (spec[direction]?.arrayValue ?? []).enumerated() {
                let rulePath = "spec.\(direction)[\(i)]"
                for (j, port) in (rule["ports"]?.arrayValue ?? []).enumerated() {
                    errors += self.port(port, path: "\(rulePath).ports[\(j)]")
                }
                for (j, peer) in (rule[peersKey]?.arrayValue ?? []).enumerated() {
                    errors += self.peer(peer, path: "\(rulePath).\(peersKey)[\(j)]")
                }
            }
        }
        let types = spec["policyTypes"]?.arrayValue ?? []
        for (i, t) in types.enumerated() where t != "Ingress" && t != "Egress" {
            errors.append(.notSupported("spec.policyTypes[\(i)]", t, ["Ingress", "Egress"]))
        }
        if types.count > 2 { errors.append(.invalid("spec.policyTypes", .array(types), "may not specify more than two policyTypes")) }
        return errors
    }

    static func port(_ port: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let proto = port["protocol"], !["TCP", "UDP", "SCTP"].contains(proto.stringValue ?? "") {
            errors.append(.notSupported("\(path).protocol", proto, ["TCP", "UDP", "SCTP"]))
        }
        let endPort = port["endPort"]?.intValue
        switch port["port"] {
        case .int(let n)?:
            if n < 1 || n > 65535 { errors.append(.invalid("\(path).port", .int(n), "must be between 1 and 65535, inclusive")) }
            if let e = endPort {
                if e < n { errors.append(.invalid("\(path).endPort", .int(n), "must be greater than or equal to `port`")) }
                if e < 1 || e > 65535 { errors.append(.invalid("\(path).endPort", .int(e), "must be between 1 and 65535, inclusive")) }
            }
        case .string(let name)?:
            if let e = endPort { errors.append(.invalid("\(path).endPort", .int(e), "may not be specified when `port` is non-numeric")) }
            if name.isEmpty || name.count > 15 || !name.contains(where: { $0.isLetter }) {
                errors.append(.invalid("\(path).port", name, "must contain at least one letter (a-z)"))
            }
        default:
            if let e = endPort { errors.append(.invalid("\(path).endPort", .int(e), "may not be specified when `port` is not specified")) }
        }
        return errors
    }

    static func peer(_ peer: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let kinds = ["podSelector", "namespaceSelector", "ipBlock"].filter { peer[$0] != nil }
        if kinds.isEmpty { return [.required(path, "must specify a peer")] }
        if peer["ipBlock"] != nil, kinds.count > 1 { errors.append(.forbidden(path, "may not specify both ipBlock and another peer")) }
        errors += labelSelector(peer["podSelector"], path: "\(path).podSelector")
        errors += labelSelector(peer["namespaceSelector"], path: "\(path).namespaceSelector")
        if let block = peer["ipBlock"] {
            let cidr = block["cidr"]?.stringValue ?? ""
            if cidr.isEmpty { return errors + [.required("\(path).ipBlock.cidr", "")] }
            guard let net = CIDR(cidr) else {
                return errors + [.invalid("\(path).ipBlock.cidr", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
            }
            for (i, e) in (block["except"]?.arrayValue ?? []).enumerated() {
                let text = e.stringValue ?? ""
                guard let inner = CIDR(text) else {
                    errors.append(.invalid("\(path).ipBlock.except[\(i)]", text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
                    continue
                }
                if !net.strictlyContains(inner) {
                    errors.append(.invalid("\(path).ipBlock.except[\(i)]", text, "must be a strict subset of `cidr`"))
                }
            }
        }
        return errors
    }

    /// `metav1validation.ValidateLabelSelector`.
    static func labelSelector(_ selector: JSONValue?, path: String) -> [FieldError] {
        guard let selector else { return [] }
        var errors: [FieldError] = []
        for (i, req) in (selector["matchExpressions"]?.arrayValue ?? []).enumerated() {
            let p = "\(path).matchExpressions[\(i)]"
            let values = req["values"]?.arrayValue ?? []
            switch req["operator"]?.stringValue ?? "" {
            case "In", "NotIn":
                if values.isEmpty { errors.append(.required("\(p).values", "must be specified when `operator` is 'In' or 'NotIn'")) }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { errors.append(.forbidden("\(p).values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")) }
            default:
                errors.append(.invalid("\(p).operator", req["operator"] ?? .string(""), "not a valid selector operator"))
            }
            let key = req["key"]?.stringValue ?? ""
            errors += NameRules.qualifiedName(key).map { .invalid("\(p).key", key, $0) }
        }
        let labels = selector["matchLabels"]?.objectValue ?? [:]
        for key in labels.keys.sorted() {
            errors += NameRules.qualifiedName(key).map { .invalid("\(path).matchLabels", key, $0) }
            let value = labels[key]?.stringValue ?? ""
            errors += NameRules.labelValue(value).map { .invalid("\(path).matchLabels", value, $0) }
        }
        return errors
    }
}

/// An IPv4 or IPv6 network in CIDR notation (address bits and prefix length).
struct CIDR {
    var bits: [UInt8]
    var prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let p = Int(parts[1]), let address = CIDR.parse(String(parts[0])) else { return nil }
        guard p >= 0, p <= address.count * 8 else { return nil }
        bits = address
        prefix = p
    }

    func strictlyContains(_ other: CIDR) -> Bool {
        guard other.bits.count == bits.count, other.prefix > prefix else { return false }
        for i in 0..<prefix where (bits[i / 8] >> (7 - i % 8)) & 1 != (other.bits[i / 8] >> (7 - i % 8)) & 1 { return false }
        return true
    }

    static func parse(_ s: String) -> [UInt8]? {
        if s.contains(":") { return parseV6(s) }
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var out: [UInt8] = []
        for o in octets {
            guard !o.isEmpty, o.count <= 3, o.allSatisfy(\.isNumber), let v = UInt8(o), !(o.count > 1 && o.first == "0") else { return nil }
            out.append(v)
        }
        return out
    }

    static func parseV6(_ s: String) -> [UInt8]? {
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

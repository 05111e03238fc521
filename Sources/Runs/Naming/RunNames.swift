/// Names of the objects a run creates (SPEC §4, §6).
///
/// Contract: every name is a DNS-1123 label (lower-case alphanumerics and `-`, starting and
/// ending with an alphanumeric, at most 63 characters), is a pure function of its inputs (stable
/// across processes and releases), and keeps distinct inputs apart: the trailing hex is a SHA-256
/// of the full inputs, and whenever the readable repository slug loses information (case aside —
/// GitHub names are case-insensitive), e.g. dots, unicode, owner hyphens or truncation, the slug
/// carries 8 more hex of the repository's hash.
public enum RunNames {
    public static let maxLength = 63

    /// The AgentRun name of a GitHub delivery: `<repo-slug>-<issue>-<stage>[-r]-<10 hex of sha256(delivery)>`.
    /// A redelivery of the same delivery id gets the same name, so creating it again is AlreadyExists.
    public static func agentRun(repository: String, issue: Int64, stage: Stage, revise: Bool, deliveryID: String) -> String {
        let tail = "\(issue)-\(stage.rawValue)\(revise ? "-r" : "")-\(SHA256Digest.hex(deliveryID, count: 10))"
        return join(slug: RepositorySlug.make(repository, budget: maxLength - tail.count - 1), tail)
    }

    /// A run namespace (and its RunNamespace): `<prefix>-<repo-slug>-<issue>-<stage>-<6 hex>`.
    /// `nonce` tells apart successive namespaces of one key (a non-revise run supersedes the old
    /// namespace, which lives on for `supersededGrace`): pass the name of the AgentRun that creates it.
    /// `prefix` must be a DNS-1123 label of at most `OperatorConfig.maxNamespacePrefixLength` characters.
    public static func namespace(prefix: String, repository: String, issue: Int64, stage: Stage, nonce: String) -> String {
        let key = "\(repository.lowercased())\n\(issue)\n\(stage.rawValue)\n\(nonce)"
        let tail = "\(issue)-\(stage.rawValue)-\(SHA256Digest.hex(key, count: 6))"
        let budget = maxLength - prefix.count - tail.count - 2
        return "\(prefix)-" + join(slug: RepositorySlug.make(repository, budget: budget), tail)
    }

    private static func join(slug: String, _ tail: String) -> String {
        slug.isEmpty ? tail : "\(slug)-\(tail)"
    }

    /// True for a DNS-1123 label (what a Namespace name must be).
    public static func isDNSLabel(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard !u.isEmpty, u.count <= maxLength, isAlnum(u.first!), isAlnum(u.last!) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}

/// The readable repository part of a name.
enum RepositorySlug {
    /// `owner-name` lower-cased when that is exact and fits `budget`; otherwise a sanitised,
    /// truncated form followed by `-<8 hex of sha256(lower-cased repository)>`, or only hex when
    /// the budget is too small for both. Never empty when `budget >= 1`; never longer than `budget`.
    static func make(_ repository: String, budget: Int) -> String {
        guard budget > 0 else { return "" }
        let lower = repository.lowercased()
        let parts = lower.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let exact = sanitize(lower)
        let lossless = parts.count == 2 && !parts[0].isEmpty && parts[0].utf8.allSatisfy(RunNames.isAlnum)
            && exact == "\(parts[0])-\(parts[1])" && exact.utf8.count <= budget
        if lossless { return exact }
        let hash = SHA256Digest.hex(lower, count: 8)
        guard budget >= hash.count + 2 else { return String(hash.prefix(budget)) }
        var readable = String(exact.prefix(budget - hash.count - 1))
        while readable.hasSuffix("-") { readable.removeLast() }
        return readable.isEmpty ? hash : "\(readable)-\(hash)"
    }

    /// ASCII alphanumerics kept (lower-cased), every other run of characters becomes one `-`,
    /// no leading or trailing `-`.
    static func sanitize(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for b in text.utf8 {
            if RunNames.isAlnum(b) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(Character(Unicode.Scalar(b)))
            } else {
                pendingDash = true
            }
        }
        return out
    }
}

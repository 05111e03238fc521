import KubeAPI
import Runs

/// The status comment of one run (issue 13): a pure rendering of the AgentRun and its
/// RunNamespace, plus the state key that decides whether the comment needs an edit.
///
/// Contract:
/// - `marker(run:)` is on the first line of every body and identifies the run's comment among all
///   comments of an issue (an HTML comment: invisible on GitHub).
/// - `state` changes exactly when what the comment tells a reader changes: phase, reason, the
///   waiting cause, the terminal message, the namespace kept-until/deleted — not on timestamps or
///   conditions of the same phase, so a run is edited at most once per phase change.
/// - Nothing secret is rendered: the AgentRun carries no token (SPEC §7).
public struct StatusComment: Sendable, Hashable {
    public var state: String
    public var body: String

    /// `<!-- codex-k8s:run=<name> -->`.
    public static func marker(run name: String) -> String { "<!-- codex-k8s:run=\(name) -->" }

    /// What happened to the run namespace of a finished run.
    public enum NamespaceFate: Sendable, Hashable {
        case kept(until: KubeTime?)
        case deleted
    }

    /// The namespace fate of a finished run from its RunNamespace (nil: not finished, or never had one).
    public static func fate(of run: AgentRun, runNamespace: RunNamespace?) -> NamespaceFate? {
        guard run.status?.phase?.isTerminal == true, run.status?.namespace != nil else { return nil }
        guard let rns = runNamespace, rns.metadata.deletionTimestamp == nil else { return .deleted }
        switch rns.status?.phase {
        case .expired?, .terminating?: return .deleted
        default: return .kept(until: rns.status?.leaseExpiresAt ?? run.status?.leaseExpiresAt)
        }
    }

    public init(run: AgentRun, fate: NamespaceFate?, controlNamespace: String) {
        let name = run.metadata.name ?? ""
        let status = run.status
        let phase = status?.phase ?? .pending
        let reason = status?.reason?.rawValue
        var headline: String
        switch phase {
        case .pending: headline = "⏳ **Queued**"
        case .provisioning: headline = "🛠️ **Provisioning** the run namespace"
        case .running: headline = "🏃 **Running**"
        case .waiting:
            headline = status?.reason == .waitingMCP ? "⏸️ **Waiting** for an MCP answer"
                : status?.reason == .waitingOwnerReview ? "⏸️ **Waiting** for the owner's review" : "⏸️ **Waiting**"
        case .succeeded: headline = "✅ **Succeeded**"
        case .failed: headline = "❌ **Failed**"
        case .cancelled: headline = "🚫 **Cancelled**"
        }
        if let reason, phase != .running { headline += " (`\(reason)`)" }
        var lines = [Self.marker(run: name),
                     "### codex-k8s run `\(name)`: \(run.spec.stage.rawValue)\(run.spec.isRevise ? " (revise)" : "")",
                     "", headline]
        var keyParts = [phase.rawValue, reason ?? ""]
        if let message = status?.message, !message.isEmpty, phase != .running {
            let short = Self.short(message)
            lines.append("")
            lines.append("> " + short.replacingOccurrences(of: "\n", with: "\n> "))
            if phase.isTerminal { keyParts.append(Fingerprint.of(short)) }
        }
        if phase == .failed, status?.reason == .failedPrecondition, status?.namespace == nil {
            lines.append("")
            lines.append("**Needs input** (`need:input`): fix the labels named above, then trigger the run again.")
        }
        lines.append("")
        if let ns = status?.namespace {
            switch fate {
            case .kept(let until)?:
                lines.append("- Namespace: `\(ns)`, kept until \(until?.rfc3339 ?? "its lease ends")")
                keyParts.append("kept:\(until?.rfc3339 ?? "")")
            case .deleted?:
                lines.append("- Namespace: `\(ns)` (deleted)")
                keyParts.append("deleted")
            case nil:
                lines.append("- Namespace: `\(ns)`")
            }
        }
        if let model = status?.model {
            lines.append("- Model: `\(model)`\(status?.reasoning.map { ", reasoning `\($0.rawValue)`" } ?? "")")
        }
        lines.append("- Inspect: `kubectl -n \(controlNamespace) get agentrun \(name)`")
        state = keyParts.joined(separator: "|")
        body = lines.joined(separator: "\n") + "\n"
    }

    /// At most 500 characters of a status message (a comment is not a log).
    static func short(_ message: String) -> String {
        message.count <= 500 ? message : String(message.prefix(500)) + "…"
    }
}

/// Short digests for state keys (a state key must fit the CRD's 256 characters).
enum Fingerprint {
    static func of(_ text: String) -> String {
        // FNV-1a 64: a stable fingerprint of a message, not a security property.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

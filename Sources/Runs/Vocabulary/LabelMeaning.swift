/// What one GitHub label means in the codex-k8s vocabulary (SPEC §3).
public enum LabelMeaning: Sendable, Hashable {
    /// `run:<stage>` or `run:<stage>:revise` (revise only for stages that allow it).
    case trigger(Stage, revise: Bool)
    /// `run:debug`: starts nothing; marks the runs `debug`.
    case debug
    /// `state:<value>` for in-review, approved, blocked, superseded, abandoned: never starts a run.
    case state(String)
    /// `need:<value>` for input, reviewer, pm, sa, qa, sre, em, km: never starts a run.
    case need(String)
    /// `[ai-model-<name>]` / `[ai-reasoning-<value>]`, brackets optional; the value is lower-cased
    /// and not yet checked against the catalog (that is profile resolution's job, SPEC §4).
    case profile(ProfileKind, String)
    /// Anything else, including `run:` labels outside the vocabulary (`run:rethink:revise`, `run:nope`).
    case unrelated
}

/// The two profile settings a label can carry.
public enum ProfileKind: String, Sendable, Hashable, CaseIterable, Codable {
    case model
    case reasoning
}

/// The §3 label vocabulary as a pure classifier.
///
/// Contract: matching is case-insensitive and ignores surrounding whitespace; `classify` is total
/// (never traps) and depends only on the label's text.
public enum LabelVocabulary {
    public static let states: Set<String> = ["in-review", "approved", "blocked", "superseded", "abandoned"]
    public static let needs: Set<String> = ["input", "reviewer", "pm", "sa", "qa", "sre", "em", "km"]
    public static let debugLabel = "run:debug"
    static let modelPrefix = "ai-model-"
    static let reasoningPrefix = "ai-reasoning-"

    /// The trigger label of a stage: `run:dev`, `run:dev:revise`.
    public static func triggerLabel(_ stage: Stage, revise: Bool = false) -> String {
        revise ? "run:\(stage.rawValue):revise" : "run:\(stage.rawValue)"
    }

    public static func classify(_ label: String) -> LabelMeaning {
        let text = label.trimmingWhitespace().lowercased()
        if text.hasPrefix("run:") {
            if text == debugLabel { return .debug }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, let stage = Stage(rawValue: String(parts[1])) else { return .unrelated }
            if parts.count == 2 { return .trigger(stage, revise: false) }
            return parts[2] == "revise" && stage.allowsRevise ? .trigger(stage, revise: true) : .unrelated
        }
        if text.hasPrefix("state:") {
            let v = String(text.dropFirst(6))
            return states.contains(v) ? .state(v) : .unrelated
        }
        if text.hasPrefix("need:") {
            let v = String(text.dropFirst(5))
            return needs.contains(v) ? .need(v) : .unrelated
        }
        var body = Substring(text)
        if body.hasPrefix("[") {
            guard body.hasSuffix("]"), body.count >= 2 else { return .unrelated }
            body = body.dropFirst().dropLast()
        } else if body.hasSuffix("]") {
            return .unrelated
        }
        for (prefix, kind) in [(modelPrefix, ProfileKind.model), (reasoningPrefix, .reasoning)] where body.hasPrefix(prefix) {
            let value = String(body.dropFirst(prefix.count))
            return ProfileValue.isWellFormed(value) ? .profile(kind, value) : .unrelated
        }
        return .unrelated
    }
}

/// The shape of a profile value (model name or reasoning effort) as it may appear in a label.
public enum ProfileValue {
    /// Lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 64
    /// characters: the CRD's `spec.model` pattern.
    public static func isWellFormed(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, value.unicodeScalars.count <= 64, isLowerAlnum(first) else { return false }
        return value.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isLowerAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}

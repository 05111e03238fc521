/// A trigger label found in a snapshot.
public struct TriggerLabel: Sendable, Hashable {
    public var stage: Stage
    public var revise: Bool
    /// The canonical spelling (`run:dev:revise`); spellings that differ only in case count once.
    public var label: String
    public var scope: LabelScope

    public init(stage: Stage, revise: Bool, label: String, scope: LabelScope) {
        self.stage = stage
        self.revise = revise
        self.label = label
        self.scope = scope
    }
}

/// Labels that decide the same thing with different values in one scope.
public struct LabelConflict: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// More than one `run:<stage>[:revise]` label (SPEC §4 `trigger_conflict`).
        case trigger
        case model
        case reasoning
    }

    public var kind: Kind
    public var scope: LabelScope
    /// The conflicting labels as spelled, sorted.
    public var labels: [String]

    public init(kind: Kind, scope: LabelScope, labels: [String]) {
        self.kind = kind
        self.scope = scope
        self.labels = labels
    }

    public var description: String {
        "\(labels.count) \(kind.rawValue) labels on the \(scope == .issue ? "issue" : "pull request"): \(labels.joined(separator: ", "))"
    }
}

/// What a label snapshot says (SPEC §3): the triggers, debug, the profile labels per scope and
/// the conflicts. Built by `LabelDecision(labels)`.
///
/// Contract: the decision depends on the *set* of labels, never on their order; every
/// (kind, scope) with two or more distinct values is in `conflicts`, and only those; labels that
/// differ only in case or brackets count once.
public struct LabelDecision: Sendable, Hashable {
    /// Every trigger label, sorted by scope, then stage, then revise.
    public var triggers: [TriggerLabel]
    /// `run:debug` is present (in either scope).
    public var debug: Bool
    /// Distinct normalised profile values per kind and scope, sorted.
    public var profiles: [ProfileKind: [LabelScope: [String]]]
    /// `state:*` and `need:*` labels present (they never start runs), as spelled, sorted.
    public var ignored: [String]
    /// Sorted by kind, then scope.
    public var conflicts: [LabelConflict]

    public init(_ labels: [RunLabel]) {
        var triggerSet: Set<TriggerLabel> = []
        var debug = false
        var profileSpellings: [ProfileKind: [LabelScope: [String: Set<String>]]] = [:]
        var ignored: Set<String> = []
        for label in labels {
            switch LabelVocabulary.classify(label.name) {
            case .trigger(let stage, let revise):
                triggerSet.insert(TriggerLabel(stage: stage, revise: revise,
                                               label: LabelVocabulary.triggerLabel(stage, revise: revise), scope: label.scope))
            case .debug: debug = true
            case .state, .need: ignored.insert(label.name)
            case .profile(let kind, let value):
                profileSpellings[kind, default: [:]][label.scope, default: [:]][value, default: []].insert(label.name)
            case .unrelated: break
            }
        }
        let scopeOrder: [LabelScope] = [.issue, .pullRequest]
        triggers = triggerSet.sorted {
            (scopeOrder.firstIndex(of: $0.scope)!, $0.stage, $0.revise ? 1 : 0) < (scopeOrder.firstIndex(of: $1.scope)!, $1.stage, $1.revise ? 1 : 0)
        }
        self.debug = debug
        self.ignored = ignored.sorted()
        var profiles: [ProfileKind: [LabelScope: [String]]] = [:]
        var conflicts: [LabelConflict] = []
        for scope in scopeOrder {
            let inScope = triggers.filter { $0.scope == scope }
            if inScope.count > 1 { conflicts.append(LabelConflict(kind: .trigger, scope: scope, labels: inScope.map(\.label).sorted())) }
        }
        for kind in ProfileKind.allCases {
            for scope in scopeOrder {
                guard let values = profileSpellings[kind]?[scope], !values.isEmpty else { continue }
                profiles[kind, default: [:]][scope] = values.keys.sorted()
                if values.count > 1 {
                    // One spelling per distinct value: the canonical bracketed form.
                    let shown = values.keys.sorted().map { "[ai-\(kind.rawValue)-\($0)]" }
                    conflicts.append(LabelConflict(kind: kind == .model ? .model : .reasoning, scope: scope, labels: shown))
                }
            }
        }
        self.profiles = profiles
        self.conflicts = conflicts
    }

    /// The triggers in one scope.
    public func triggers(in scope: LabelScope) -> [TriggerLabel] { triggers.filter { $0.scope == scope } }

    /// The single trigger of a scope, `nil` when there is none; throws `LabelConflict` for more than one.
    public func singleTrigger(in scope: LabelScope) throws(LabelConflict) -> TriggerLabel? {
        let found = triggers(in: scope)
        if found.count > 1 { throw LabelConflict(kind: .trigger, scope: scope, labels: found.map(\.label).sorted()) }
        return found.first
    }

    /// The distinct stages among the triggers of a scope (for review-driven revise, SPEC §4).
    public func stages(in scope: LabelScope) -> [Stage] {
        Array(Set(triggers(in: scope).map(\.stage))).sorted()
    }
}

extension LabelConflict: Error {}

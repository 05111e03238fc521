/// The configured models and reasoning efforts and their defaults (config `profiles`).
public struct ProfileCatalog: Sendable, Hashable, Codable {
    public var models: [String]
    public var defaultModel: String
    public var reasoning: [Reasoning]
    public var defaultReasoning: Reasoning

    public init(models: [String], defaultModel: String, reasoning: [Reasoning], defaultReasoning: Reasoning) {
        self.models = models
        self.defaultModel = defaultModel
        self.reasoning = reasoning
        self.defaultReasoning = defaultReasoning
    }
}

/// One resolved value and where it came from.
public struct Resolved<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var source: ProfileSource

    public init(_ value: Value, from source: ProfileSource) {
        self.value = value
        self.source = source
    }
}

/// The model and reasoning a run uses (SPEC §4).
public struct ResolvedProfile: Sendable, Hashable {
    public var model: Resolved<String>
    public var reasoning: Resolved<Reasoning>

    public init(model: Resolved<String>, reasoning: Resolved<Reasoning>) {
        self.model = model
        self.reasoning = reasoning
    }
}

/// Why a profile cannot be resolved; the run fails at once with reason `FailedPrecondition`.
public enum ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two labels of one kind in the deciding scope.
    case conflict(LabelConflict)
    /// A value outside the configured catalog (from a label or from the spec).
    case notInCatalog(kind: ProfileKind, value: String, source: ProfileSource, catalog: [String])

    public var description: String {
        switch self {
        case .conflict(let c): "conflicting profile labels: \(c)"
        case .notInCatalog(let kind, let value, let source, let catalog):
            "\(kind.rawValue) \"\(value)\" (from \(source.rawValue)) is not in the configured catalog [\(catalog.joined(separator: ", "))]"
        }
    }
}

/// What profile resolution reads besides the catalog.
public struct ProfileRequest: Sendable, Hashable {
    /// `spec.model` / `spec.reasoning`: explicit values win over everything.
    public var model: String?
    public var reasoning: String?
    public var labels: LabelDecision
    /// The resolved values of the previous run of the same repository+issue (sticky), if any.
    public var previousModel: String?
    public var previousReasoning: Reasoning?
    /// Review-driven revise: issue labels decide before pull-request labels.
    public var reviewRevise: Bool

    public init(model: String? = nil, reasoning: String? = nil, labels: LabelDecision, previousModel: String? = nil,
                previousReasoning: Reasoning? = nil, reviewRevise: Bool = false) {
        self.model = model
        self.reasoning = reasoning
        self.labels = labels
        self.previousModel = previousModel
        self.previousReasoning = previousReasoning
        self.reviewRevise = reviewRevise
    }
}

/// Profile resolution of SPEC §4 — the pure function shared by the webhook adapter and the operator.
///
/// Model and reasoning resolve separately: the spec value, else the labels of the first scope
/// (pull request then issue; issue then pull request for review-driven revise) that has a label
/// of that kind, else the previous run's value (sticky), else the catalog default.
/// Contract: two distinct values of one kind in the deciding scope, or a value from the spec or
/// a label outside the catalog, is an error (both kinds are checked; all errors are returned).
/// A sticky value no longer in the catalog is skipped (the catalog changed since), so the
/// default applies. The result never depends on label order.
public enum ProfileResolution {
    public static func resolve(_ request: ProfileRequest, catalog: ProfileCatalog) -> Result<ResolvedProfile, ProfileErrors> {
        var errors: [ProfileError] = []
        let model = resolveOne(.model, explicit: request.model, request: request, previous: request.previousModel,
                               fallback: catalog.defaultModel, catalog: catalog.models, errors: &errors)
        let reasoningText = resolveOne(.reasoning, explicit: request.reasoning, request: request,
                                       previous: request.previousReasoning?.rawValue,
                                       fallback: catalog.defaultReasoning.rawValue, catalog: catalog.reasoning.map(\.rawValue),
                                       errors: &errors)
        guard errors.isEmpty, let model, let reasoningText, let reasoning = Reasoning(rawValue: reasoningText.value) else {
            return .failure(ProfileErrors(errors: errors))
        }
        return .success(ResolvedProfile(model: model, reasoning: Resolved(reasoning, from: reasoningText.source)))
    }

    /// The label scopes in the order they decide.
    public static func scopeOrder(reviewRevise: Bool) -> [LabelScope] {
        reviewRevise ? [.issue, .pullRequest] : [.pullRequest, .issue]
    }

    private static func resolveOne(_ kind: ProfileKind, explicit: String?, request: ProfileRequest, previous: String?,
                                   fallback: String, catalog: [String], errors: inout [ProfileError]) -> Resolved<String>? {
        func checked(_ value: String, _ source: ProfileSource) -> Resolved<String>? {
            guard catalog.contains(value) else {
                errors.append(.notInCatalog(kind: kind, value: value, source: source, catalog: catalog))
                return nil
            }
            return Resolved(value, from: source)
        }
        if let explicit { return checked(explicit, .spec) }
        for scope in scopeOrder(reviewRevise: request.reviewRevise) {
            guard let values = request.labels.profiles[kind]?[scope], !values.isEmpty else { continue }
            if values.count > 1 {
                let conflict = request.labels.conflicts.first { $0.kind.rawValue == kind.rawValue && $0.scope == scope }
                errors.append(.conflict(conflict ?? LabelConflict(kind: kind == .model ? .model : .reasoning, scope: scope, labels: values)))
                return nil
            }
            return checked(values[0], scope == .issue ? .issue : .pullRequest)
        }
        if let previous, catalog.contains(previous) { return Resolved(previous, from: .previousRun) }
        return Resolved(fallback, from: .default)
    }
}

/// All the reasons one resolution failed, in order (model first).
public struct ProfileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ProfileError]

    public init(errors: [ProfileError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

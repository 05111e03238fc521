/// A stage of the product flow (SPEC §2): what the agent is asked to do.
///
/// Raw values are the spellings used in `spec.stage`, in `run:<stage>` labels and in namespace
/// names; `allCases` is in the order SPEC §2 lists them (the CRD enum uses the same order).
public enum Stage: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case intake, vision, prd, arch, design, plan, dev, qa, release, postdeploy, ops
    case docAudit = "doc-audit"
    case selfImprove = "self-improve"
    case rethink
    case aiRepair = "ai-repair"

    /// The role the stage runs as (SPEC §3): it picks the namespace lease (`namespaceTTL.byRole`)
    /// and is recorded in the RunNamespace's `spec.role`.
    public var role: Role {
        switch self {
        case .intake, .vision, .prd: .pm
        case .arch, .design: .sa
        case .plan, .release, .rethink: .em
        case .dev: .dev
        case .qa: .qa
        case .postdeploy, .ops, .aiRepair: .sre
        case .docAudit, .selfImprove: .km
        }
    }

    /// False for rethink and ai-repair: they have no `run:<stage>:revise` label and an AgentRun of
    /// theirs may not set `revise` (SPEC §2, §3).
    public var allowsRevise: Bool { self != .rethink && self != .aiRepair }

    public static func < (a: Stage, b: Stage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The role a stage runs as (SPEC §3): keys `namespaceTTL.byRole` and the RunNamespace `spec.role`.
public enum Role: String, Codable, Sendable, Hashable, CaseIterable {
    case pm, sa, em, dev, qa, sre, km

    /// The stages of this role, in SPEC order.
    public var stages: [Stage] { Stage.allCases.filter { $0.role == self } }
}

/// How much of Kubernetes an agent gets (SPEC §2, §5): `full-env` binds
/// `codex-k8s-agent-full-env` and automounts the token; `code-only` binds the read-only role.
public enum RunMode: String, Codable, Sendable, Hashable, CaseIterable {
    case fullEnv = "full-env"
    case codeOnly = "code-only"

    /// The agent ClusterRole a run of this mode is bound to (SPEC §5, §7).
    public var clusterRoleName: String {
        switch self {
        case .fullEnv: AgentClusterRoles.fullEnv
        case .codeOnly: AgentClusterRoles.codeOnly
        }
    }
}

/// The reasoning effort a model runs with (SPEC §3 `[ai-reasoning-<…>]`).
public enum Reasoning: String, Codable, Sendable, Hashable, CaseIterable {
    case low, medium, high
    case extraHigh = "extra-high"
}

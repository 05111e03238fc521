/// One non-terminal AgentRun as admission sees it.
public struct SlotCandidate: Sendable, Hashable {
    public var name: String
    public var repository: String
    public var issue: Int64
    /// Creation time in seconds since 1970 (ties are broken by name).
    public var created: Double
    /// Already admitted: holds a slot (Provisioning, Running or Waiting).
    public var active: Bool

    public init(name: String, repository: String, issue: Int64, created: Double, active: Bool) {
        self.name = name
        self.repository = repository
        self.issue = issue
        self.created = created
        self.active = active
    }
}

/// `slots.maxActiveRuns` and `slots.perRepository` (SPEC §5).
public struct SlotLimits: Sendable, Hashable {
    public var maxActive: Int
    public var perRepository: Int

    public init(maxActive: Int, perRepository: Int) {
        self.maxActive = maxActive
        self.perRepository = perRepository
    }
}

/// What admission decides for a run that holds no slot yet.
public enum SlotDecision: Sendable, Hashable {
    case admit
    /// Another non-terminal run of the same repository+issue goes first (`QueuedBehindActiveRun`).
    case queuedBehind(String)
    /// No slot free for it now (`WaitingForSlot`).
    case waitingForSlot
}

/// Admission of SPEC §5 as a pure function over the non-terminal runs.
///
/// Contract:
/// - At most one run per repository+issue holds a slot or is eligible: the active one, else the
///   oldest pending one; every other run of that key is `queuedBehind` it.
/// - Admitted runs never push the number of active runs past `maxActive`, nor a repository's past
///   `perRepository`.
/// - Fair across repositories: each free slot goes to the eligible repository with the fewest
///   active runs (ties: the one whose oldest eligible run is oldest); within a repository, oldest
///   first (creation time, then name).
/// - No head-of-line blocking: a repository at its limit never holds a slot back from another.
/// - Deterministic, independent of input order.
public enum SlotScheduler {
    public static func schedule(_ runs: [SlotCandidate], limits: SlotLimits) -> [String: SlotDecision] {
        struct Key: Hashable { var repository: String; var issue: Int64 }
        func older(_ a: SlotCandidate, _ b: SlotCandidate) -> Bool { (a.created, a.name) < (b.created, b.name) }

        var activeByKey: [Key: String] = [:]
        var perRepo: [String: Int] = [:]
        var total = 0
        for r in runs.sorted(by: older) where r.active {
            let key = Key(repository: r.repository, issue: r.issue)
            if activeByKey[key] == nil { activeByKey[key] = r.name }
            perRepo[r.repository, default: 0] += 1
            total += 1
        }
        var decisions: [String: SlotDecision] = [:]
        var headOfKey: [Key: String] = [:]
        var eligible: [String: [SlotCandidate]] = [:]
        for r in runs.sorted(by: older) where !r.active {
            let key = Key(repository: r.repository, issue: r.issue)
            if let blocker = activeByKey[key] ?? headOfKey[key] {
                decisions[r.name] = .queuedBehind(blocker)
            } else {
                headOfKey[key] = r.name
                eligible[r.repository, default: []].append(r)
            }
        }
        var next: [String: Int] = [:]
        while total < limits.maxActive {
            let choice = eligible.keys.filter { repo in
                next[repo, default: 0] < eligible[repo]!.count && perRepo[repo, default: 0] < limits.perRepository
            }.min { a, b in
                let ca = perRepo[a, default: 0], cb = perRepo[b, default: 0]
                if ca != cb { return ca < cb }
                return older(eligible[a]![next[a, default: 0]], eligible[b]![next[b, default: 0]])
            }
            guard let repo = choice else { break }
            let run = eligible[repo]![next[repo, default: 0]]
            decisions[run.name] = .admit
            next[repo, default: 0] += 1
            perRepo[repo, default: 0] += 1
            total += 1
        }
        for (repo, list) in eligible {
            for r in list.dropFirst(next[repo, default: 0]) { decisions[r.name] = .waitingForSlot }
        }
        return decisions
    }
}

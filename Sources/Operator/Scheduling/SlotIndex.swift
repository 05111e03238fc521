/// Admission state kept up to date one run at a time: the same decisions as
/// `SlotScheduler.schedule` over the same candidates, without rebuilding anything per decision.
///
/// Contract: after any sequence of `update`/`remove`, `decision(for: name, limits:)` equals
/// `SlotScheduler.schedule(candidates, limits:)[name]` (nil for an active or unknown run). A
/// decision costs O(log n) when every eligible run fits in the free slots, else O(repositories);
/// an update costs O(log n) plus the insertion into the per-repository and per-issue orders.
///
/// Why the counting works: the scheduler's loop gives each free slot to the eligible repository
/// with the fewest active runs, oldest next run first. So the runs it admits are the first `free`
/// of all "potential picks" ordered by (level, created, name), where the i-th eligible run of
/// repository Y has level `active(Y) + i` and is a potential pick while that level is below
/// `perRepository`. A run is admitted iff fewer than `free` potential picks come before it.
public struct SlotIndex: Sendable {
    struct IssueKey: Hashable, Sendable { var repository: String; var issue: Int64 }

    struct Order: Comparable, Hashable, Sendable {
        var created: Double
        var name: String
        static func < (a: Order, b: Order) -> Bool { (a.created, a.name) < (b.created, b.name) }
    }

    struct IssueEntry: Sendable {
        var active = SortedOrders()
        var pending = SortedOrders()
        /// The run of this repository+issue that competes for a slot: the oldest pending one, when none is active.
        var head: Order? { active.isEmpty ? pending.first : nil }
    }

    struct RepositoryEntry: Sendable {
        var active = 0
        /// The heads of this repository's issues (oldest first).
        var eligible = SortedOrders()
    }

    public private(set) var candidates: [String: SlotCandidate] = [:]
    private var issues: [IssueKey: IssueEntry] = [:]
    private var repositories: [String: RepositoryEntry] = [:]
    private var totalActive = 0
    private var totalEligible = 0

    public init() {}

    /// Records `candidate` (replacing the run of the same name).
    public mutating func update(_ candidate: SlotCandidate) {
        if let old = candidates[candidate.name] {
            if old == candidate { return }
            remove(old.name)
        }
        candidates[candidate.name] = candidate
        let order = Order(created: candidate.created, name: candidate.name)
        changeIssue(IssueKey(repository: candidate.repository, issue: candidate.issue)) { entry in
            if candidate.active { entry.active.insert(order) } else { entry.pending.insert(order) }
        }
        if candidate.active {
            repositories[candidate.repository, default: RepositoryEntry()].active += 1
            totalActive += 1
        }
    }

    /// Forgets the run `name` (terminal, deleted, or gone).
    public mutating func remove(_ name: String) {
        guard let old = candidates.removeValue(forKey: name) else { return }
        let order = Order(created: old.created, name: old.name)
        changeIssue(IssueKey(repository: old.repository, issue: old.issue)) { entry in
            if old.active { entry.active.remove(order) } else { entry.pending.remove(order) }
        }
        if old.active {
            repositories[old.repository]?.active -= 1
            totalActive -= 1
        }
        if let r = repositories[old.repository], r.active == 0, r.eligible.isEmpty { repositories[old.repository] = nil }
    }

    /// What admission decides for run `name` now (`SlotScheduler`'s contract).
    public func decision(for name: String, limits: SlotLimits) -> SlotDecision? {
        guard let run = candidates[name], !run.active else { return nil }
        let key = IssueKey(repository: run.repository, issue: run.issue)
        let me = Order(created: run.created, name: run.name)
        guard let entry = issues[key] else { return nil }
        if let blocker = entry.active.first ?? entry.pending.first, blocker != me { return .queuedBehind(blocker.name) }
        guard let repo = repositories[run.repository], let position = repo.eligible.index(of: me) else { return nil }
        let level = repo.active + position
        let free = limits.maxActive - totalActive
        if level >= limits.perRepository || free <= 0 { return .waitingForSlot }
        if totalEligible <= free { return .admit }
        var before = 0
        for (other, r) in repositories where !r.eligible.isEmpty {
            before += min(r.eligible.count, max(0, level - r.active))
            if other != run.repository, level >= r.active, level - r.active < r.eligible.count,
               r.eligible[level - r.active] < me {
                before += 1
            }
            if before >= free { return .waitingForSlot }
        }
        return .admit
    }

    /// Applies `change` to an issue's entry and moves its head in or out of its repository's eligible runs.
    private mutating func changeIssue(_ key: IssueKey, _ change: (inout IssueEntry) -> Void) {
        var entry = issues[key] ?? IssueEntry()
        let oldHead = entry.head
        change(&entry)
        let newHead = entry.head
        issues[key] = entry.active.isEmpty && entry.pending.isEmpty ? nil : entry
        guard oldHead != newHead else { return }
        if let oldHead {
            repositories[key.repository]?.eligible.remove(oldHead)
            totalEligible -= 1
        }
        if let newHead {
            repositories[key.repository, default: RepositoryEntry()].eligible.insert(newHead)
            totalEligible += 1
        }
    }
}

/// Distinct `SlotIndex.Order`s kept sorted (binary search; small per repository or issue).
struct SortedOrders: Sendable {
    private var items: [SlotIndex.Order] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var first: SlotIndex.Order? { items.first }
    subscript(i: Int) -> SlotIndex.Order { items[i] }

    private func lowerBound(_ o: SlotIndex.Order) -> Int {
        var lo = 0, hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid] < o { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func index(of o: SlotIndex.Order) -> Int? {
        let i = lowerBound(o)
        return i < items.count && items[i] == o ? i : nil
    }

    mutating func insert(_ o: SlotIndex.Order) {
        let i = lowerBound(o)
        if i < items.count && items[i] == o { return }
        items.insert(o, at: i)
    }

    mutating func remove(_ o: SlotIndex.Order) {
        if let i = index(of: o) { items.remove(at: i) }
    }
}

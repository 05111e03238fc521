import Synchronization

/// A `SlotIndex` shared by the AgentRun reconciler's workers, kept current from the AgentRun
/// cache's changes and from `RunLedger`'s (this process's writes and reservations).
///
/// Guarantees:
/// - `refresh` recomputes a run's candidate from its sources while holding the index's lock, so
///   whichever refresh runs last used the newest inputs: concurrent refreshes of one run converge
///   on its current state, whatever their order.
/// - Lock order: this lock, then the cache's and the ledger's (never the other way round: neither
///   calls out while holding its own).
final class AdmissionIndex: Sendable {
    private let index = Mutex(SlotIndex())

    /// Recomputes the runs `names` with `candidate` (nil: not a candidate — terminal, deleting or gone).
    func refresh(_ names: some Sequence<String>, _ candidate: (String) -> SlotCandidate?) {
        index.withLock { index in
            for name in names {
                if let c = candidate(name) { index.update(c) } else { index.remove(name) }
            }
        }
    }

    func decision(for name: String, limits: SlotLimits) -> SlotDecision? {
        index.withLock { $0.decision(for: name, limits: limits) }
    }

    /// The current candidates (tests compare them with the oracle).
    var candidates: [SlotCandidate] { index.withLock { Array($0.candidates.values) } }
}

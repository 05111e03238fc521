import KubeAPI
import KubeRuntime
import Runs
import Synchronization

/// The AgentRuns this process is creating or has created that its watch cache has not seen yet:
/// the in-process half of the per-trigger duplicate check, so that check needs no API call.
///
/// The watch cache lags the apiserver. Without this record, two deliveries of one trigger handled
/// one after the other inside the trigger lock could both find the cache empty and both create.
/// With it, the second one finds the first one's run here until the cache has it, and in the
/// cache from then on (where its later state — terminal, cancel requested, deleted — counts).
///
/// Contract (all under one lock, so an entry is never added after the cache already dropped it):
/// - `begin(name, key)` (inside the trigger lock, before the create) records the run as pending;
///   `finish(name, created:)` forgets it when the create failed, else stamps it with the number of
///   relists the cache had started by then.
/// - An entry goes when the cache applies any watch event of that name (from then on the cache
///   knows the run), or when a relist that started after the create finished is done (the list
///   shows the run if it still exists; a run created and deleted while the watch was down leaves
///   no entry behind).
/// - `pending(key)` answers the name of an entry of that trigger, if any.
///
/// Memory: entries live about one watch latency; a cache whose watch has stopped keeps them (and
/// a delivery of such a trigger answers duplicate, the safe side).
final class OwnCreates: Sendable {
    private struct Entry {
        var key: TriggerKey
        /// Relists started when the create finished; nil while it is in flight.
        var relistsAtFinish: UInt64?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var relistsStarted: UInt64 = 0
    }

    private let state = Mutex(State())

    func begin(name: String, key: TriggerKey) {
        state.withLock { $0.entries[name] = Entry(key: key) }
    }

    func finish(name: String, created: Bool) {
        state.withLock { s in
            if !created {
                s.entries[name] = nil
            } else if s.entries[name] != nil {
                // Not re-added when the cache has already seen the run (its event removed the entry).
                s.entries[name]?.relistsAtFinish = s.relistsStarted
            }
        }
    }

    /// A run of `key` created here that the cache does not know yet.
    func pending(_ key: TriggerKey) -> String? {
        state.withLock { s in s.entries.first { $0.value.key == key }?.key }
    }

    /// Follows the cache: called after each event has been applied to its store.
    func observe(_ event: WatcherEvent<AgentRun>) {
        switch event {
        case .initStarted:
            state.withLock { $0.relistsStarted += 1 }
        case .initDone:
            state.withLock { s in
                let done = s.relistsStarted
                s.entries = s.entries.filter { entry in entry.value.relistsAtFinish.map { $0 >= done } ?? true }
            }
        case .apply(let run), .delete(let run):
            guard let name = run.metadata.name else { return }
            state.withLock { _ = $0.entries.removeValue(forKey: name) }
        case .initPage, .error:
            break
        }
    }

    /// Entries held (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}

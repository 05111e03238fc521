import KubeAPI
import KubeRuntime
import Runs
import Synchronization

/// The AgentRuns of the cache by trigger (`TriggerKey` of their spec — also runs created by hand,
/// which carry no trigger label), so "is this trigger already running?" costs a dictionary lookup
/// instead of a scan of every run in the namespace.
///
/// Contract: updated right after each event is applied to the store, from the same (single)
/// watcher task; between the two a reader may miss the newest run — the same lag the cache has
/// anyway, which `DeliveryExecutor` covers with `OwnCreates` (this process's creates).
/// The table holds one entry per run, so it is a `ShardedDictionary`: growing it never rehashes
/// every run at once while deliveries wait on the lock.
final class TriggerIndex: Sendable {
    private typealias Table = ShardedDictionary<TriggerKey, Set<ObjectKey>>
    private let keys = Mutex<Table>([:])

    /// Follows one applied event; `affected` is what `Store.apply` returned for it.
    func update(_ event: WatcherEvent<AgentRun>, affected: [AgentRun], store: Store<AgentRun>) {
        switch event {
        case .initDone:
            var fresh = Table()
            for run in store.list() {
                if let k = run.objectKey { fresh[TriggerKey(run.spec), default: []].insert(k) }
            }
            keys.withLock { $0 = fresh }
        case .apply(let run):
            guard let k = run.objectKey else { return }
            keys.withLock { index in
                // `affected` is [old, new] on an update: drop the old entry first.
                if affected.count == 2 { Self.remove(TriggerKey(affected[0].spec), k, &index) }
                index[TriggerKey(run.spec), default: []].insert(k)
            }
        case .delete(let run):
            guard let k = run.objectKey else { return }
            keys.withLock { Self.remove(TriggerKey(run.spec), k, &$0) }
        case .initStarted, .initPage, .error:
            break
        }
    }

    /// The object keys indexed under `key`.
    func objects(_ key: TriggerKey) -> Set<ObjectKey> { keys.withLock { $0[key] ?? [] } }

    private static func remove(_ key: TriggerKey, _ object: ObjectKey, _ index: inout Table) {
        index[key]?.remove(object)
        if index[key]?.isEmpty == true { index[key] = nil }
    }
}

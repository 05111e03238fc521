import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs

/// The AgentRuns of the control namespace, kept by a `Watcher` into a `Store` (one LIST, then a
/// WATCH): the adapter answers "is this trigger already running?" and "what was the latest run of
/// this PR?" from memory, never with a LIST per delivery.
///
/// Contract: `isSynced` is false until the first full list has been stored; the cache lags the
/// apiserver by the watch latency — for this process's own creates `ownCreates` covers the lag
/// (`DeliveryExecutor`).
public final class AgentRunCache: RunHistory, Sendable {
    public let store = Store<AgentRun>(indexedLabels: [WebhookLabels.trigger])
    /// Bumped after every watch event applied to `store` (wait on it instead of polling the cache).
    public let changes = ChangeSignal()
    /// The runs by trigger, so the per-delivery duplicate check does not scan every run.
    private let byTrigger = TriggerIndex()
    /// The runs this process created that the cache has not seen yet (`DeliveryExecutor`).
    let ownCreates = OwnCreates()
    private let watcher: Watcher<KubeClientListWatch<AgentRun>>

    public init(client: KubeClient, namespace: String, logger: Logger = Logger(label: "codex-k8s.webhook.cache")) {
        watcher = Watcher(source: KubeClientListWatch<AgentRun>(client: client, namespace: namespace), logger: logger)
    }

    /// Keeps the cache current until the task is cancelled.
    public func run() async {
        let store = self.store, changes = self.changes, byTrigger = self.byTrigger, ownCreates = self.ownCreates
        await watcher.run { event in
            let affected = store.apply(event)
            byTrigger.update(event, affected: affected, store: store)
            ownCreates.observe(event)
            changes.bump()
        }
    }

    public var isSynced: Bool { store.isReady }

    /// Returns once the first list is in (at once if it already is), or when the task is cancelled.
    public func waitUntilSynced() async { await store.waitUntilReady() }

    public func get(name: String, namespace: String) -> AgentRun? {
        store.get(ObjectKey(namespace: namespace, name: name))
    }

    /// Runs that count for deduplication: not terminal and not asked to cancel.
    public static func isActive(_ run: AgentRun) -> Bool {
        !(run.status?.phase?.isTerminal ?? false) && !run.spec.isCancelRequested
    }

    /// The active runs of a trigger (also runs created by hand, which carry no trigger label), by
    /// name; a lookup in the trigger index, not a scan of every run.
    public func activeRuns(_ key: TriggerKey) -> [AgentRun] {
        byTrigger.objects(key).compactMap { store.get($0) }
            .filter { Self.isActive($0) && TriggerKey($0.spec) == key }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    /// The runs a cancellation addresses that are still active.
    public func activeRuns(_ target: CancelTarget) -> [AgentRun] {
        store.list().filter { run in
            guard Self.isActive(run) else { return false }
            switch target {
            case .trigger(let key): return TriggerKey(run.spec) == key
            case .issue(let repository, let issue):
                return run.spec.repository.lowercased() == repository.lowercased() && run.spec.issue == issue
            case .pullRequest(let repository, let pullRequest):
                return run.spec.repository.lowercased() == repository.lowercased() && run.spec.pullRequest == pullRequest
            }
        }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    /// Creation time (seconds), then the delivery time of the trigger (microseconds), then the name.
    static func order(_ run: AgentRun) -> (Double, Double, String) {
        (run.metadata.creationTimestamp?.secondsSince1970 ?? 0, run.spec.trigger?.receivedAt?.secondsSince1970 ?? 0,
         run.metadata.name ?? "")
    }

    public func latestRun(repository: String, pullRequest: Int64) -> AgentRun? {
        let repo = repository.lowercased()
        return store.list()
            .filter { $0.spec.repository.lowercased() == repo && $0.spec.pullRequest == pullRequest }
            .max { a, b in Self.order(a) < Self.order(b) }
    }
}

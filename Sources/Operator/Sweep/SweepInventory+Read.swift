import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs

extension SweepInventory {
    /// From the RunNamespace controller's informer caches (the operator: no API request).
    public init(_ caches: NamespaceLeaseCaches) {
        self.init(namespaces: caches.namespaces.list(), runNamespaces: caches.runNamespaces.list(), runs: caches.runs.list())
    }

    /// One paginated LIST each (`codex-k8s sweep`): the Namespaces labelled managed-by (the scope
    /// rules still decide), every RunNamespace, the AgentRuns of the control namespace.
    public static func list(client: KubeClient, config: OperatorConfig, pageSize: Int = 500) async throws(KubeError) -> SweepInventory {
        let namespaces = try await client.listAll(Namespace.self, options: ListOptions(labelSelector: RunLabels.managedSelector),
                                                  pageSize: pageSize).items
        let runNamespaces = try await client.listAll(RunNamespace.self, pageSize: pageSize).items
        let runs = try await client.listAll(AgentRun.self, namespace: config.controlNamespace, pageSize: pageSize).items
        return SweepInventory(namespaces: namespaces, runNamespaces: runNamespaces, runs: runs)
    }

    /// Caches filled with this inventory, for a RunNamespace reconciler that runs no watch (the
    /// one-shot `codex-k8s sweep`: its lease rules and expiry path read them).
    public func caches() -> NamespaceLeaseCaches {
        func store<T: KubeResource>(_ items: [T]) -> Store<T> {
            let s = Store<T>()
            s.apply(.initStarted)
            s.apply(.initPage(items))
            s.apply(.initDone)
            return s
        }
        return NamespaceLeaseCaches(runNamespaces: store(runNamespaces), namespaces: store(namespaces), runs: store(runs))
    }
}

extension Sweeper {
    /// One sweep outside the operator (`codex-k8s sweep`, tests): lists the inventory (one paginated
    /// LIST per kind), gives a RunNamespace reconciler caches filled from it (its lease rules and
    /// expiry path, no watch), plans and — unless `dryRun` — executes.
    public static func once(client: KubeClient, config: OperatorConfig, audit: any AuditSink, dryRun: Bool,
                            metrics: SweepMetrics? = nil, wallClock: @escaping @Sendable () -> Date = { Date() },
                            logger: Logger = Logger(label: "codex-k8s.sweep")) async throws(KubeError) -> SweepReport {
        let inventory = try await SweepInventory.list(client: client, config: config)
        let reconciler = RunNamespaceReconciler(client: client, config: config, audit: audit, wallClock: wallClock, logger: logger)
        reconciler.attach(inventory.caches())
        let sweeper = Sweeper(client: client, config: config, audit: audit, reconciler: reconciler, metrics: metrics,
                              wallClock: wallClock, logger: logger)
        return await sweeper.sweep(inventory, dryRun: dryRun)
    }
}

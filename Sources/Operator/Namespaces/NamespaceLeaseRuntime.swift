import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Metrics
import Runs

/// The RunNamespace controller wired to its watches (SPEC §6): every RunNamespace (the primary),
/// the managed Namespaces (label `app.kubernetes.io/managed-by=codex-k8s`, mapped to the
/// RunNamespace of the same name) and the AgentRuns of the control namespace (mapped to the
/// RunNamespace their `status.namespace` names, before and after a change, and — for a non-revise
/// run — every RunNamespace of its repository+issue+stage, which it supersedes). Register `controller`
/// with the `Manager` next to the AgentRun controller, or run it directly in tests.
///
/// Given the AgentRun controller (`sharing:`), it reads that controller's AgentRun cache instead of
/// watching and caching every AgentRun a second time; both controllers must then run.
public final class NamespaceLeaseRuntime: Sendable {
    public let controller: Controller<RunNamespace>
    public let reconciler: RunNamespaceReconciler

    public init(client: KubeClient, config: OperatorConfig, audit: any AuditSink, workers: Int = 2,
                wallClock: @escaping @Sendable () -> Date = { Date() },
                beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                metricsFactory: (any MetricsFactory)? = nil,
                logger: Logger = Logger(label: "codex-k8s.namespaces"),
                sharing agentRuns: Controller<AgentRun>? = nil) {
        let reconciler = RunNamespaceReconciler(client: client, config: config, audit: audit, wallClock: wallClock,
                                                beforeWrite: beforeWrite, logger: logger)
        let controller = Controller<RunNamespace>(
            name: "runnamespace", primary: KubeClientListWatch<RunNamespace>(client: client), workers: workers,
            metricsFactory: metricsFactory, logger: logger,
            reconcile: { key in try await reconciler.reconcile(key) })
        let sameName: @Sendable (ObjectMeta) -> [ObjectKey] = { meta in
            meta.name.map { [ObjectKey(namespace: nil, name: $0)] } ?? []
        }
        let namespaces = controller.watches(KubeClientListWatch<Namespace>(client: client, labelSelector: RunLabels.managedSelector)) {
            sameName($0.metadata)
        }
        let runNamespaces = controller.store
        let toNamespaces: @Sendable (AgentRun) -> [ObjectKey] = { run in
            LeaseRunMapping.keys(of: run, runNamespaces: runNamespaces)
        }
        let runs = agentRuns.map { controller.watches(cacheOf: $0, mapping: toNamespaces) }
            ?? controller.watches(KubeClientListWatch<AgentRun>(client: client, namespace: config.controlNamespace),
                                  mapping: toNamespaces)
        reconciler.attach(NamespaceLeaseCaches(runNamespaces: controller.store, namespaces: namespaces, runs: runs))
        self.controller = controller
        self.reconciler = reconciler
    }

    /// Shares the AgentRun controller's cache and its reconciler's memory of its own writes: a run
    /// start that reconciler wrote but the cache does not show yet is judged from that write, not
    /// read from the API (`RunNamespaceReconciler.activeButUnseen`). The operator command wires this.
    public convenience init(client: KubeClient, config: OperatorConfig, audit: any AuditSink, workers: Int = 2,
                            wallClock: @escaping @Sendable () -> Date = { Date() },
                            beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                            metricsFactory: (any MetricsFactory)? = nil,
                            logger: Logger = Logger(label: "codex-k8s.namespaces"),
                            sharing runtime: OperatorRuntime) {
        self.init(client: client, config: config, audit: audit, workers: workers, wallClock: wallClock, beforeWrite: beforeWrite,
                  metricsFactory: metricsFactory, logger: logger, sharing: runtime.controller)
        let ledger = runtime.reconciler.ledger
        reconciler.written.withLock { $0 = RunNamespaceReconciler.RunOverlay(current: { ledger.current($0) }) }
    }

    /// Queues every RunNamespace (tests advance an injected clock, then call this instead of
    /// waiting for the requeue timer).
    public func requeueAll() {
        for key in controller.store.keys { controller.queue.add(key) }
    }
}

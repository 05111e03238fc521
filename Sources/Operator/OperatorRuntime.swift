import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Metrics
import Runs

/// The AgentRun controller wired to its watches (SPEC §5): AgentRuns of the control namespace,
/// the managed Jobs and Pods of every namespace (label `app.kubernetes.io/managed-by=codex-k8s`,
/// mapped to their run by `codex-k8s.dev/run`), and the credentials Secret of the control
/// namespace (its only Secret the operator reads). Jobs and Pods are cached through
/// `RunObjectTransforms` (only the fields the reconciler reads). Run it with a KubeRuntime `Manager`, or
/// `controller.run()` directly in tests.
public final class OperatorRuntime: Sendable {
    public let controller: Controller<AgentRun>
    public let reconciler: AgentRunReconciler
    public let config: OperatorConfig

    public init(client: KubeClient, config: OperatorConfig, audit: any AuditSink, workers: Int = 4,
                wallClock: @escaping @Sendable () -> Date = { Date() },
                beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                metricsFactory: (any MetricsFactory)? = nil,
                logger: Logger = Logger(label: "codex-k8s.operator")) {
        let ns = config.controlNamespace
        let reconciler = AgentRunReconciler(client: client, config: config, audit: audit, wallClock: wallClock,
                                            beforeWrite: beforeWrite, logger: logger)
        let metrics = OperatorMetrics(factory: metricsFactory ?? MetricsSystem.factory, maxActive: config.slots.maxActiveRuns)
        let controller = Controller<AgentRun>(
            name: "agentrun", primary: KubeClientListWatch<AgentRun>(client: client, namespace: ns), workers: workers,
            metricsFactory: metricsFactory, logger: logger,
            errorPolicy: { _, error, _ in
                // A foreign object or missing Secret is fixed by a person: retry slowly.
                if error is OperatorError { return .requeue(after: .seconds(10)) }
                return .backoff
            },
            reconcile: { key in
                defer { metrics.update(counts: reconciler.phaseCounts()) }
                return try await reconciler.reconcile(key)
            })
        let toRun: @Sendable (ObjectMeta) -> [ObjectKey] = { meta in
            meta.labels?[RunLabels.run].map { [ObjectKey(namespace: ns, name: $0)] } ?? []
        }
        let jobs = controller.watches(RunObjectTransforms.jobSource(client),
                                      indexedLabels: [RunLabels.run], transform: RunObjectTransforms.job) { toRun($0.metadata) }
        let pods = controller.watches(RunObjectTransforms.podSource(client),
                                      indexedLabels: [RunLabels.run], transform: RunObjectTransforms.pod) { toRun($0.metadata) }
        let runs = controller.store
        let secrets = controller.watches(KubeClientListWatch<Secret>(
            client: client, namespace: ns, fieldSelector: "metadata.name=\(config.agent.credentials.secretName)")) { _ in
            // The credentials appeared or changed: runs waiting to provision try again.
            runs.list().filter { $0.status?.phase == .provisioning }.compactMap(\.objectKey)
        }
        let queue = controller.queue
        reconciler.attach(caches: OperatorCaches(runs: controller.store, jobs: jobs, pods: pods, secrets: secrets),
                          enqueue: { queue.add($0) })
        self.controller = controller
        self.reconciler = reconciler
        self.config = config
    }

    /// Returns once every cache (AgentRuns, Jobs, Pods, the credentials Secret) has its first list.
    public func waitForCaches() async {
        let c = reconciler.stores
        await c.runs.waitUntilReady()
        await c.jobs.waitUntilReady()
        await c.pods.waitUntilReady()
        await c.secrets.waitUntilReady()
    }

    /// Queues every AgentRun (tests advance an injected clock, then call this instead of waiting
    /// for a timer).
    public func requeueAll() {
        for key in controller.store.keys { controller.queue.add(key) }
    }
}

import GitHub
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Metrics
import Runs

/// The GitHub reporter wired to its watches (issue 13): its own `Controller` over the AgentRuns
/// of the control namespace (its own queue and workers, so reporting never blocks reconciling),
/// plus the RunNamespaces (mapped to the runs whose `status.namespace` names them, for "kept
/// until / deleted"), and the missed-webhook resync. Register `controllers` with the `Manager`:
/// like every controller there, their workers run only on the leader, so only the leader writes
/// to GitHub. The two share one rate-limit gate (GitHub's limits are per token). Given the operator's
/// AgentRun and RunNamespace controllers (`sharing:`), it reads their caches instead of caching
/// every run and RunNamespace once more; they must run too.
public final class GitHubReporter: Sendable {
    public let controller: Controller<AgentRun>
    public let reporter: RunReporter
    /// The missed-webhook resync (nil when no interval was given).
    public let resync: MissedTriggerResync?

    /// What to register with the `Manager`.
    public var controllers: [any ManagedController] { [controller] + (resync.map { [$0] } ?? []) }

    /// - Parameters:
    ///   - github: the GitHub API (the REST client, or a test double).
    ///   - resyncInterval: how often the resync lists open issues (`github.resync`); nil: no resync.
    ///   - clock: the time of the rate-limit gate (tests inject theirs).
    ///   - outageBackoff: the per-run retry delays while GitHub is unavailable (default 1 s
    ///     doubling to 5 min, under a global 10/s bucket: an outage is not hammered).
    public init(client: KubeClient, github: any GitHubAPI, config: OperatorConfig, resyncInterval: Duration? = nil,
                workers: Int = 4, clock: any RuntimeClock = SystemRuntimeClock(),
                outageBackoff: PerKeyExponentialRateLimiter = PerKeyExponentialRateLimiter(base: .seconds(1), maximum: .seconds(300)),
                metricsFactory: (any MetricsFactory)? = nil, logger: Logger = Logger(label: "codex-k8s.reporter"),
                sharing shared: (runs: Controller<AgentRun>, runNamespaces: Controller<RunNamespace>)? = nil) {
        let factory = metricsFactory ?? MetricsSystem.factory
        let controlNamespace = config.controlNamespace
        let gate = RateLimitGate(clock: clock)
        let metrics = ReporterMetrics(factory: factory)
        let reporter = RunReporter(github: github, client: client, controlNamespace: controlNamespace,
                                   gate: gate, metrics: metrics, logger: logger)
        let rateLimiter = MaxOfRateLimiter([outageBackoff, TokenBucketRateLimiter(rate: 10, burst: 100)])
        let reconcile: Controller<AgentRun>.Reconcile = { key in try await reporter.reconcile(key) }
        let controller = shared.map {
            Controller<AgentRun>(name: "github-reporter", sharingPrimaryOf: $0.runs, workers: workers, rateLimiter: rateLimiter,
                                 metricsFactory: factory, logger: logger, reconcile: reconcile)
        } ?? Controller<AgentRun>(
            name: "github-reporter", primary: KubeClientListWatch<AgentRun>(client: client, namespace: controlNamespace),
            workers: workers, rateLimiter: rateLimiter, metricsFactory: factory, logger: logger, reconcile: reconcile)
        let runs = controller.store
        RunIndexes.register(on: runs) // idempotent on a shared cache
        let toRuns: @Sendable (RunNamespace) -> [ObjectKey] = { rns in
            runs.keys(inIndex: RunIndexes.namespace, value: rns.metadata.name ?? "")
        }
        let namespaces = shared.map { controller.watches(cacheOf: $0.runNamespaces, mapping: toRuns) }
            ?? controller.watches(KubeClientListWatch<RunNamespace>(client: client), mapping: toRuns)
        reporter.attach(runs: runs, namespaces: namespaces)
        self.controller = controller
        self.reporter = reporter
        resync = resyncInterval.map {
            MissedTriggerResync(client: client, github: github, config: config, interval: $0, gate: gate, metrics: metrics,
                                logger: logger)
        }
    }

    /// Queues every AgentRun (tests advance the injected clock, then call this instead of waiting
    /// for the requeue timer).
    public func requeueAll() {
        for key in controller.store.keys { controller.queue.add(key) }
    }
}

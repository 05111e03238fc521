import Foundation
import Audit
import Hummingbird
import KubeAPI
import KubeClient
import Logging
import Prometheus
import Runs
import ServiceLifecycle

/// `codex-k8s webhook` as a swift-service-lifecycle `Service`: the AgentRun watch cache and the
/// HTTP server, wired to one `WebhookAdapter`.
///
/// Contract: `run()` serves until cancelled or shut down gracefully; the cache runs beside the
/// server (deliveries that need it answer 503 until it has synced, and `/readyz` says why);
/// a failing HTTP server (port in use) fails `run()`.
public final class WebhookService: Service, Sendable {
    public let adapter: WebhookAdapter
    public let cache: AgentRunCache
    let client: KubeClient
    let namespace: String
    let host: String
    let port: Int
    let bodyLimit: Int
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    public init(config: OperatorConfig, client: KubeClient, namespace: String, secrets: WebhookSecrets, audit: any AuditSink,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                leaseEnding: (any IssueLeaseEnding)? = nil, wallClock: @escaping @Sendable () -> Date = { Date() },
                host: String = "0.0.0.0", port: Int = 8080, bodyLimit: Int = WebhookRoutes.defaultBodyLimit,
                logger: Logger = Logger(label: "codex-k8s.webhook"),
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        cache = AgentRunCache(client: client, namespace: namespace, logger: logger)
        // Closed issues and PRs end their namespace leases (`RunLeaseCloser`) unless told otherwise.
        let leaseEnding = leaseEnding ?? RunLeaseCloser(client: client, namespace: namespace, cache: cache, wallClock: wallClock)
        let executor = DeliveryExecutor(client: client, namespace: namespace, cache: cache, leaseEnding: leaseEnding,
                                        closeGrace: config.graces.closeGrace, logger: logger)
        adapter = WebhookAdapter(secrets: secrets, planner: DeliveryPlanner(settings: config.webhook), executor: executor,
                                 audit: audit, metrics: WebhookMetrics(registry: registry), logger: logger)
        self.client = client.with(requestTimeout: .seconds(3), retryPolicy: .none)
        self.namespace = namespace
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// `nil` when ready: the cache has synced and a LIST of AgentRuns (limit 1) succeeds now.
    public func notReadyReason() async -> String? {
        guard cache.isSynced else { return "agentrun cache not synced" }
        do {
            _ = try await client.list(AgentRun.self, namespace: namespace, options: ListOptions(limit: 1))
            return nil
        } catch {
            return "kubernetes not reachable"
        }
    }

    public func run() async throws {
        let readiness = WebhookReadiness { [self] in await self.notReadyReason() }
        // Refused bodies: `Connection: close` answers end the connection at once (see CloseAfterAnswerHandler).
        let app = Application(router: WebhookRoutes.router(adapter: adapter, readiness: readiness, bodyLimit: bodyLimit),
                              server: .http1(configuration: .init(additionalChannelHandlers: [CloseAfterAnswerHandler()])),
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { [onServerRunning] channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let cache = self.cache
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await cache.run() }
            group.addTask { try await app.run() }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}

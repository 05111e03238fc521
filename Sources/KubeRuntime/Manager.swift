import Hummingbird
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle

/// Where the manager serves `/healthz`, `/readyz` and `/metrics`.
public struct ManagerConfiguration: Sendable {
    public var host: String
    /// 0 picks an ephemeral port (reported through `onServerRunning`).
    public var port: Int
    /// Where the controllers' caches and workers run (`nil`: the global concurrent executor) —
    /// e.g. KubeClient's HTTP/2 loop thread (`H2Loop.shared`), so that their requests and
    /// responses need no hand-off between threads. The HTTP server and the leader election run
    /// on their own executors either way.
    public var taskExecutor: (any TaskExecutor)?

    public init(host: String = "0.0.0.0", port: Int = 8080, taskExecutor: (any TaskExecutor)? = nil) {
        self.host = host
        self.port = port
        self.taskExecutor = taskExecutor
    }
}

/// Runs controllers under swift-service-lifecycle (add it to a `ServiceGroup`).
///
/// - Caches run on every replica, so a standby is warm; workers run only while this replica leads
///   (when a `LeaderElector` is given) — or always, without one.
/// - Graceful shutdown (SIGTERM through the ServiceGroup): queues stop handing out keys, in-flight
///   reconciles finish, then the Lease is released (immediate failover) and the HTTP server stops.
/// - Lost leadership ends `run()` with `LeaderElectionError.leadershipLost`: the process should
///   exit and restart as a candidate (controller-runtime's behaviour), never keep reconciling.
/// - HTTP: `/healthz` is 200 while the process serves; `/readyz` is 200 when every cache has synced
///   and this replica leads or is a healthy standby (it can read the Lease), 503 otherwise with the
///   reason; `/metrics` is the Prometheus text exposition of `registry`. The server runs on one
///   event-loop thread of its own (probes and scrapes need no more), not on NIO's process-wide
///   group, which starts one thread per core: a thread stack and its buffers each, for nothing, on
///   a large node.
public final class Manager: Service, Sendable {
    public let configuration: ManagerConfiguration
    public let controllers: [any ManagedController]
    public let elector: LeaderElector?
    public let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let onServerRunning: @Sendable (Int) async -> Void

    public init(configuration: ManagerConfiguration = ManagerConfiguration(), controllers: [any ManagedController],
                elector: LeaderElector? = nil, registry: PrometheusCollectorRegistry,
                logger: Logger = Logger(label: "kube-runtime.manager"),
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.configuration = configuration
        self.controllers = controllers
        self.elector = elector
        self.registry = registry
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// `nil` when ready, else why not.
    public var notReadyReason: String? {
        let unsynced = controllers.filter { !$0.cachesReady }.map(\.name)
        if !unsynced.isEmpty { return "caches not synced: \(unsynced.joined(separator: ", "))" }
        if let elector, !elector.isLeader, !elector.isHealthy { return "leader election: lease not reachable" }
        return nil
    }

    public func run() async throws {
        let serverLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await run(serverLoop: serverLoop)
        } catch {
            try? await serverLoop.shutdownGracefully()
            throw error
        }
        try await serverLoop.shutdownGracefully()
    }

    /// `run()` with the HTTP server on `serverLoop`.
    private func run(serverLoop: MultiThreadedEventLoopGroup) async throws {
        let app = Application(router: HealthRouter.router(manager: self),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: nil),
                              onServerRunning: { [onServerRunning] channel in
                                  await onServerRunning(channel.localAddress?.port ?? 0)
                              },
                              eventLoopGroupProvider: .shared(serverLoop),
                              logger: logger)
        let controllers = self.controllers
        let executor = configuration.taskExecutor
        let leading = Task { try await self.lead() }
        enum Part: Sendable { case http, caches, leading }
        // HTTP and caches run beside the leading work; the manager ends when the leading work ends
        // (drained or failed). A failing HTTP server (e.g. port in use) fails the whole manager.
        try await withThrowingTaskGroup(of: Part.self) { group in
            group.addTask { try await app.run(); return .http }
            group.addTask {
                await withDiscardingTaskGroup { caches in
                    for c in controllers { caches.addTask(executorPreference: executor) { await c.runCaches() } }
                }
                return .caches
            }
            group.addTask {
                try await withTaskCancellationHandler {
                    try await withGracefulShutdownHandler {
                        try await leading.value
                    } onGracefulShutdown: {
                        self.logger.info("graceful shutdown: draining controllers")
                        controllers.forEach { $0.shutDown() }
                        // Not leading (or caches never synced): nothing is in flight, stop campaigning.
                        if !(self.elector?.isLeader ?? true) || !controllers.allSatisfy(\.cachesReady) {
                            leading.cancel()
                        }
                    }
                } onCancel: {
                    leading.cancel()
                }
                return .leading
            }
            while let part = try await group.next() {
                if part == .leading { break }
            }
            group.cancelAll()
        }
    }

    /// Runs every controller's workers while leading (or unconditionally without an elector).
    private func lead() async throws {
        let controllers = self.controllers
        let executor = configuration.taskExecutor
        let work: @Sendable () async -> Void = {
            // With no controllers there is nothing to drain: serve until shutdown.
            if controllers.isEmpty { try? await gracefulShutdown() }
            await withDiscardingTaskGroup { group in
                for c in controllers { group.addTask(executorPreference: executor) { await c.runWorkers() } }
            }
        }
        if let elector {
            try await elector.run { await work() }
        } else {
            await work()
        }
        logger.info("controllers drained")
    }
}

/// The manager's HTTP routes.
enum HealthRouter {
    static func router(manager: Manager) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            if let reason = manager.notReadyReason {
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "not ready: \(reason)\n")))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: manager.registry.emitToBuffer())))
        }
        return router
    }
}

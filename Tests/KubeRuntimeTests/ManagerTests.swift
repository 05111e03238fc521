import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI
import KubeClient
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Testing
import TestSupport
@testable import KubeRuntime

/// GET over real HTTP on loopback.
func httpGet(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
}

@Suite(.timeLimit(.minutes(1))) struct ManagerTests {
    @Test func servesHealthReadinessMetricsAndReleasesTheLeaseOnGracefulShutdown() async throws {
        let clock = ManualClock()
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let logs = LogRecorder(level: .warning)
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        let children = GatedListWatch<Child>()
        let reconciled = AsyncStream<ObjectKey>.makeStream()
        let controller = Controller(name: "widgets", primary: widgets, clock: clock, metricsFactory: factory,
                                    logger: logs.logger) { key in
            reconciled.continuation.yield(key)
            return .awaitChange
        }
        controller.owns(children, clock: clock)
        let leases = FakeLeaseStore()
        let elector = LeaderElector(config: LeaderElectionConfig(namespace: "ns", name: "op", identity: "pod-1"),
                                    client: leases.client(for: "pod-1"), clock: clock, logger: logs.logger)
        let ports = AsyncStream<Int>.makeStream()
        let manager = Manager(configuration: ManagerConfiguration(host: "127.0.0.1", port: 0),
                              controllers: [controller], elector: elector, registry: registry, logger: logs.logger,
                              onServerRunning: { ports.continuation.yield($0) })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: manager)], gracefulShutdownSignals: [], logger: logs.logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var portIterator = ports.stream.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        #expect(try await httpGet(port, "/healthz") == (200, "ok\n"))
        let notReady = try await httpGet(port, "/readyz")
        #expect(notReady.status == 503 && notReady.body.contains("caches not synced: widgets"))

        children.open()
        var keys = reconciled.stream.makeAsyncIterator()
        #expect(await keys.next() == ObjectKey(namespace: "ns", name: "a"))
        #expect(elector.isLeader && leases.holder == "pod-1")
        #expect(try await httpGet(port, "/readyz") == (200, "ok\n"))
        // The worker counts the reconcile before it marks the key done: once drained, it is counted.
        await controller.queue.drain()
        let metrics = try await httpGet(port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"workqueue_adds_total{name="widgets"}"#))
        #expect(metrics.body.contains(#"controller_reconcile_total{controller="widgets",result="success"} 1"#))

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(leases.holder == nil, "graceful shutdown released the Lease")
        #expect(!elector.isLeader)
        // Warnings and errors are captured, not printed. Hummingbird logs its server's shutdown
        // under cancellation at error level (see docs/runtime.md); ours must log no error.
        #expect(!logs.messages(at: .error).contains { $0.contains("leadership") || $0.contains("leading work") },
                "\(logs.records)")
    }

    @Test func aPortInUseFailsTheManagerInsteadOfRunningWithoutEndpoints() async throws {
        let registry = PrometheusCollectorRegistry()
        let ports = AsyncStream<Int>.makeStream()
        let first = Manager(configuration: ManagerConfiguration(host: "127.0.0.1", port: 0), controllers: [],
                            registry: registry, logger: quietLogger, onServerRunning: { ports.continuation.yield($0) })
        let firstGroup = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: first)], gracefulShutdownSignals: [], logger: quietLogger))
        let running = Task { try await firstGroup.run() }
        defer { running.cancel() }
        var it = ports.stream.makeAsyncIterator()
        let port = try #require(await it.next())
        let widgets = FakeListWatch<Widget>()
        let controller = Controller(name: "widgets", primary: widgets, clock: ManualClock(), logger: quietLogger) { _ in
            .awaitChange
        }
        let second = Manager(configuration: ManagerConfiguration(host: "127.0.0.1", port: port),
                             controllers: [controller], registry: registry, logger: quietLogger)
        let error = await #expect(throws: IOError.self) { try await second.run() }
        #expect(error?.errnoCode == EADDRINUSE, "binding a port in use fails with EADDRINUSE: \(String(describing: error))")
        await firstGroup.triggerGracefulShutdown()
        try await running.value
    }

    /// `ManagerConfiguration.taskExecutor`: the controllers' caches and workers run on it — here
    /// KubeClient's HTTP/2 loop thread, as the operator runs them.
    @Test func controllersRunOnTheConfiguredTaskExecutor() async throws {
        let loop = H2Loop()
        defer { loop.shutdown() }
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        widgets.upsert(Widget("b"))
        let reconciled = AsyncStream<(ObjectKey, String)>.makeStream()
        let controller = Controller(name: "widgets", primary: widgets, clock: ManualClock(), logger: quietLogger) { key in
            reconciled.continuation.yield((key, LoopThread.currentName() ?? "?"))
            return .awaitChange
        }
        let manager = Manager(configuration: ManagerConfiguration(host: "127.0.0.1", port: 0, taskExecutor: loop),
                              controllers: [controller], registry: PrometheusCollectorRegistry(), logger: quietLogger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: manager)], gracefulShutdownSignals: [], logger: quietLogger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var seen: [String: String] = [:]
        for await (key, thread) in reconciled.stream {
            seen[key.name] = thread
            if seen.count == 2 { break }
        }
        #expect(seen == ["a": "kube-h2-loop", "b": "kube-h2-loop"])
        await group.triggerGracefulShutdown()
        try await running.value
    }
}

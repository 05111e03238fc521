import Audit
import Foundation
import KubeRuntime
import Logging
import Metrics
import Runs
import Synchronization

/// The periodic sweep in the operator (SPEC §6): one sweep every `sweep.interval` while this
/// replica leads, from the RunNamespace controller's caches. Register it with the `Manager` next to
/// the controllers: the Manager runs `runWorkers()` only under the Lease, so exactly one replica
/// sweeps; a standby exports no sweep metrics (the alerts take the `max` over replicas).
///
/// Guarantees: the first sweep runs as soon as the caches have synced after gaining leadership;
/// `shutDown()` lets an in-flight sweep finish and ends the loop without waiting for the interval.
public final class SweepService: ManagedController {
    public let sweeper: Sweeper
    let caches: NamespaceLeaseCaches
    let interval: Duration
    let onSweep: @Sendable (SweepReport) -> Void
    private let state = Mutex<(stopped: Bool, sleeper: Task<Void, Never>?)>((false, nil))
    public var name: String { "sweep" }

    /// - Parameter onSweep: called with each sweep's report (tests wait on it).
    public init(sweeper: Sweeper, caches: NamespaceLeaseCaches, onSweep: @escaping @Sendable (SweepReport) -> Void = { _ in }) {
        self.sweeper = sweeper
        self.caches = caches
        self.onSweep = onSweep
        self.interval = .seconds(max(1, sweeper.config.sweep.interval.seconds))
    }

    /// The caches belong to the RunNamespace controller (which the Manager runs): nothing to run.
    public var cachesReady: Bool { true }
    public func runCaches() async {}

    public func runWorkers() async {
        await caches.runNamespaces.waitUntilReady()
        await caches.namespaces.waitUntilReady()
        await caches.runs.waitUntilReady()
        while !state.withLock({ $0.stopped }) && !Task.isCancelled {
            onSweep(await sweeper.sweep(SweepInventory(caches)))
            await pause()
        }
    }

    public func shutDown() {
        state.withLock { s in
            s.stopped = true
            s.sleeper?.cancel()
        }
    }

    /// Sleeps one interval; returns early on `shutDown()` or cancellation.
    private func pause() async {
        let sleeper = Task<Void, Never> { [interval] in _ = try? await Task.sleep(for: interval) }
        let stopped = state.withLock { s -> Bool in
            if !s.stopped { s.sleeper = sleeper }
            return s.stopped
        }
        if stopped { sleeper.cancel() }
        await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        state.withLock { $0.sleeper = nil }
    }
}

extension SweepService {
    /// The operator's sweep: over `leases`' caches, with its reconciler's lease rules and expiry path.
    public convenience init(leases: NamespaceLeaseRuntime, audit: any AuditSink, metricsFactory: (any MetricsFactory)? = nil,
                            wallClock: @escaping @Sendable () -> Date = { Date() },
                            logger: Logger = Logger(label: "codex-k8s.sweep"),
                            onSweep: @escaping @Sendable (SweepReport) -> Void = { _ in }) {
        let reconciler = leases.reconciler
        let sweeper = Sweeper(client: reconciler.client, config: reconciler.config, audit: audit, reconciler: reconciler,
                              metrics: SweepMetrics(factory: metricsFactory ?? MetricsSystem.factory), wallClock: wallClock,
                              logger: logger)
        self.init(sweeper: sweeper, caches: reconciler.stores, onSweep: onSweep)
    }
}

import KubeAPI
import Logging
import Metrics

/// Reconciles objects of one primary resource: watches it (and any secondary resources mapped to
/// primary keys), queues keys, and runs `reconcile` on up to `workers` keys at once.
///
/// Guarantees:
/// - Keys, not objects, are queued; `reconcile` reads the latest state from `store`.
/// - A key is never reconciled by two workers at once; changes during a reconcile cause exactly
///   one more reconcile after it (see `WorkQueue`).
/// - No reconcile starts before every cache (primary and secondary) has completed its first list.
/// - On success the key's backoff is reset and `Action` is honoured; on failure `errorPolicy`
///   decides (default: rate-limited backoff).
/// - `shutDown()` stops handing out keys; `runWorkers()` returns once in-flight reconciles finish.
public final class Controller<Object: KubeResource>: Sendable {
    public typealias Reconcile = @Sendable (ObjectKey) async throws -> Action

    public let name: String
    /// The cache of the primary resource.
    public let store: Store<Object>
    public let queue: WorkQueue
    public let workers: Int
    private let reconcile: Reconcile
    private let errorPolicy: ErrorPolicy
    private let logger: Logger
    private let metrics: ControllerMetrics
    let registrations: Locked<[WatchRegistration]>
    /// Called with the objects each primary event affected, after the store applied it (other
    /// controllers sharing this cache: `watches(cacheOf:mapping:)`).
    let primaryListeners: Locked<[@Sendable ([Object]) -> Void]>

    /// A watch feeding the queue: runs until cancelled; `ready` reports its cache's first list.
    struct WatchRegistration: Sendable {
        var run: @Sendable () async -> Void
        var waitUntilReady: @Sendable () async -> Void
        var isReady: @Sendable () -> Bool
    }

    public init<Source: ListWatchSource>(
        name: String, primary: Source, workers: Int = 2, indexedLabels: Set<String> = [],
        transform: CacheTransform<Object> = .identity, clock: any RuntimeClock = SystemRuntimeClock(), backoff: Backoff = Backoff(),
        rateLimiter: any RateLimiter = MaxOfRateLimiter.default,
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger = Logger(label: "kube-runtime.controller"),
        errorPolicy: @escaping ErrorPolicy = { _, _, _ in .backoff },
        reconcile: @escaping Reconcile
    ) where Source.Object == Object {
        precondition(workers > 0, "a controller needs at least one worker")
        let factory = metricsFactory ?? MetricsSystem.factory
        self.name = name
        self.workers = workers
        self.reconcile = reconcile
        self.errorPolicy = errorPolicy
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
        self.metrics = ControllerMetrics(name: name, factory: factory)
        let store = Store<Object>(indexedLabels: indexedLabels, transform: transform)
        let queue = WorkQueue(name: name, clock: clock, rateLimiter: rateLimiter, metricsFactory: factory)
        self.store = store
        self.queue = queue
        var primaryWatcher = Watcher(source: primary, backoff: backoff, clock: clock, logger: logger)
        primaryWatcher.metricsFactory = factory
        let watcher = primaryWatcher
        let listeners = Locked<[@Sendable ([Object]) -> Void]>([])
        self.primaryListeners = listeners
        self.registrations = Locked([WatchRegistration(
            run: {
                await watcher.run { event in
                    let affected = store.applyReturningKeys(event)
                    // Old and new state of one object share a key: add each key once per event.
                    for k in Set(affected.keys) { queue.add(k) }
                    for listener in listeners.value { listener(affected.objects) }
                }
            },
            waitUntilReady: { await store.waitUntilReady() },
            isReady: { store.isReady })])
    }

    /// A controller whose primary cache is `other`'s (`watches(cacheOf:mapping:)` with each object
    /// mapped to its own key): its own queue, workers and reconcile over the same objects, without
    /// a second watch or copy. `other` must run too. Its own `primaryListeners` are never called,
    /// so share from `other`, not from it.
    public init(name: String, sharingPrimaryOf other: Controller<Object>, workers: Int = 2,
                clock: any RuntimeClock = SystemRuntimeClock(), rateLimiter: any RateLimiter = MaxOfRateLimiter.default,
                metricsFactory: (any MetricsFactory)? = nil, logger: Logger = Logger(label: "kube-runtime.controller"),
                errorPolicy: @escaping ErrorPolicy = { _, _, _ in .backoff }, reconcile: @escaping Reconcile) {
        precondition(workers > 0, "a controller needs at least one worker")
        let factory = metricsFactory ?? MetricsSystem.factory
        self.name = name
        self.workers = workers
        self.reconcile = reconcile
        self.errorPolicy = errorPolicy
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
        self.metrics = ControllerMetrics(name: name, factory: factory)
        self.store = other.store
        self.queue = WorkQueue(name: name, clock: clock, rateLimiter: rateLimiter, metricsFactory: factory)
        self.primaryListeners = Locked([])
        self.registrations = Locked([])
        watches(cacheOf: other) { $0.objectKey.map { [$0] } ?? [] }
    }

    /// Watches a secondary resource; each affected object is mapped to the primary keys to queue.
    /// Returns the secondary cache (reconciles may read it; it is ready before any reconcile runs).
    @discardableResult
    public func watches<Source: ListWatchSource>(
        _ source: Source, indexedLabels: Set<String> = [], transform: CacheTransform<Source.Object> = .identity,
        clock: any RuntimeClock = SystemRuntimeClock(),
        backoff: Backoff = Backoff(), mapping: @escaping @Sendable (Source.Object) -> [ObjectKey]
    ) -> Store<Source.Object> {
        let store = Store<Source.Object>(indexedLabels: indexedLabels, transform: transform)
        let queue = self.queue
        var secondaryWatcher = Watcher(source: source, backoff: backoff, clock: clock, logger: logger)
        secondaryWatcher.metricsFactory = metrics.factory
        let watcher = secondaryWatcher
        registrations.withLock {
            $0.append(WatchRegistration(
                run: {
                    await watcher.run { event in
                        for k in mappedKeys(store.apply(event), mapping) { queue.add(k) }
                    }
                },
                waitUntilReady: { await store.waitUntilReady() },
                isReady: { store.isReady }))
        }
        return store
    }

    /// Watches objects owned by the primary resource (controller-runtime `Owns()`): an event on a
    /// child queues the owner named by its controller owner reference of the primary kind.
    @discardableResult
    public func owns<Source: ListWatchSource>(
        _ source: Source, clock: any RuntimeClock = SystemRuntimeClock(), backoff: Backoff = Backoff()
    ) -> Store<Source.Object> {
        watches(source, indexedLabels: [], clock: clock, backoff: backoff) { child in
            OwnerMapping.controllerOwner(of: child.metadata, ownerResource: Object.resource).map { [$0] } ?? []
        }
    }

    /// Whether every cache has completed its first list.
    public var cachesReady: Bool { registrations.value.allSatisfy { $0.isReady() } }

    /// Returns once every cache has completed its first list (or the task is cancelled).
    public func waitForCaches() async {
        for r in registrations.value { await r.waitUntilReady() }
    }

    /// Runs every watch, feeding caches and the queue, until the task is cancelled.
    public func runCaches() async {
        let registrations = self.registrations.value
        await withDiscardingTaskGroup { group in
            for r in registrations { group.addTask { await r.run() } }
        }
    }

    /// Waits for the caches, then runs `workers` workers until `shutDown()` (returning after the
    /// in-flight reconciles finish) or cancellation.
    public func runWorkers() async {
        for r in registrations.value { await r.waitUntilReady() }
        if Task.isCancelled { return }
        logger.info("caches synced; starting \(workers) workers")
        await withDiscardingTaskGroup { group in
            for _ in 0..<workers { group.addTask { await self.work() } }
        }
    }

    /// Runs caches and workers together until shut down or cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runCaches() }
            group.addTask { await self.runWorkers() }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Stops handing out keys; in-flight reconciles finish (`runWorkers` returns after them).
    public func shutDown() { queue.shutDown() }

    private func work() async {
        while let key = await queue.next() {
            let start = queue.clock.now()
            do {
                let action = try await reconcile(key)
                queue.forget(key)
                if case .requeue(let delay) = action { queue.add(key, after: delay) }
                metrics.reconciled(.success)
            } catch {
                let retries = queue.retries(of: key)
                let decision = errorPolicy(key, error, retries)
                logger.warning("reconcile of \(key) failed (retries \(retries), next: \(decision)): \(error)")
                switch decision {
                case .backoff: queue.addRateLimited(key)
                case .requeue(let delay): queue.add(key, after: delay)
                case .awaitChange: queue.forget(key)
                }
                metrics.reconciled(.error)
            }
            metrics.reconcileTime.recordNanoseconds((queue.clock.now() - start).nanoseconds)
            queue.done(key)
        }
    }
}

import KubeAPI
import Logging
import Metrics


/// Keeps a consumer in sync with one resource: an explicit state machine over a `ListWatchSource`.
///
/// States and transitions:
/// - `listing(continue)`: fetches the initial list page by page (`pageSize`), yielding
///   `initStarted`, `initPage`s and `initDone`. A 410 (expired continue token) restarts the list;
///   another failure retries the same page after a backoff.
/// - `watching(rv)`: watches from the list's resourceVersion, then from the last one seen (objects
///   and bookmarks), reading the source's event batches (`ListWatchSource.watchBatches`: one
///   wake-up per burst of events) and handing their events to `handle` one by one, in order (a
///   cancelled task stops between two of them). A normal end of the stream (`timeoutSeconds`)
///   reopens at once from the last seen version — unless the stream ended within
///   `minimumWatchDuration` without a single event (a proxy or server closing watches at once),
///   which counts as a failure, so such a peer is not hammered. A stream broken by the server
///   going away (`WatchFailure.isServerGone`: a graceful shutdown's curl 18, a reset, an HTTP/2
///   GOAWAY or RST_STREAM) after it delivered an event or lasted `minimumWatchDuration` is an
///   ordinary end too: it resumes after a random delay of at most `reconnectJitter`. A 410
///   (thrown or as an ERROR event) goes back to `listing(nil)` for a full relist. A watch that has
///   delivered nothing for longer than `watchTimeout + idleGrace` is abandoned and reopened.
///
/// Backoff: failures while the server is unreachable (`WatchFailure.isUnreachable`: connection
/// refused or reset, 502/503/504) wait per `unreachableBackoff` (0.2 s doubling to a 1.6 s cap), so
/// the cache converges within about 2 s of the server's return however long it was away; other
/// failures (HTTP errors, very short watches) wait per `backoff` (0.8 s → 30 s). Both start over as
/// soon as a list succeeds or a watch delivers an event or bookmark. Every failure is yielded as
/// `.error` (a server-gone end too, with kind `.serverGone`) and every restart is counted in
/// `watch_restarts_total{resource,reason}` (`WatchRestartReason`).
///
/// `run` returns only when its task is cancelled; every failure is yielded, never thrown.
public struct Watcher<Source: ListWatchSource>: Sendable {
    public typealias Object = Source.Object

    enum State: Equatable, Sendable {
        case listing(continueToken: String?)
        case watching(resourceVersion: String)
    }

    public let source: Source
    public var pageSize: Int
    /// Sent as the watch's `timeoutSeconds`; the server ends the stream normally after it.
    public var watchTimeout: Duration
    /// Extra silence tolerated past `watchTimeout` before a watch is considered dead.
    public var idleGrace: Duration
    /// Waits after failures of a reachable server (HTTP errors, very short watches).
    public var backoff: Backoff
    /// Waits while the server cannot be reached; its cap bounds how long after the server's return
    /// the watcher notices.
    public var unreachableBackoff = Backoff(initial: .milliseconds(200), maximum: .milliseconds(1600))
    /// Upper bound of the random delay before resuming a watch the server broke by going away (so
    /// many clients do not reconnect in the same millisecond).
    public var reconnectJitter: Duration = .milliseconds(100)
    /// A stream that ends normally sooner than this with no event (object or bookmark) at all is
    /// treated as a failure and backed off (client-go's "very short watch").
    public var minimumWatchDuration: Duration = .seconds(1)
    public var clock: any RuntimeClock
    public var logger: Logger
    /// Where the watcher's metrics go (`nil`: the global `MetricsSystem.factory`).
    public var metricsFactory: (any MetricsFactory)?
    /// Uniform values in `[0, 1)` for `reconnectJitter`; injectable for tests.
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    public init(source: Source, pageSize: Int = 500, watchTimeout: Duration = .seconds(290),
                idleGrace: Duration = .seconds(5), backoff: Backoff = Backoff(),
                clock: any RuntimeClock = SystemRuntimeClock(),
                logger: Logger = Logger(label: "kube-runtime.watcher")) {
        self.source = source
        self.pageSize = pageSize
        self.watchTimeout = watchTimeout
        self.idleGrace = idleGrace
        self.backoff = backoff
        self.clock = clock
        self.logger = logger
    }

    /// The state `run` carries between attempts: both backoffs, the metrics and, while the watch is
    /// broken, since when.
    struct Recovery {
        var backoff: Backoff
        var unreachable: Backoff
        var brokenSince: MonotonicInstant?
        let metrics: WatcherMetrics

        /// A list page arrived or a watch delivered something: the remote works again. `recorded`:
        /// the recovery time was already recorded (at the watch's first event).
        mutating func succeeded(at now: MonotonicInstant, recorded: Bool = false) {
            backoff.reset()
            unreachable.reset()
            if let since = brokenSince, !recorded { metrics.recovered(after: now - since) }
            brokenSince = nil
        }

        mutating func restarted(_ reason: WatchRestartReason, at now: MonotonicInstant) {
            metrics.restarted(reason)
            if reason != .timeout, brokenSince == nil { brokenSince = now }
        }

        /// The wait before retrying after `error`, from the backoff its kind calls for.
        mutating func delay(after error: any Error, at now: MonotonicInstant) -> Duration {
            WatchFailure.isUnreachable(error) ? unreachable.nextDelay(at: now) : backoff.nextDelay(at: now)
        }
    }

    /// Runs the state machine, handing every event to `handle` in order, until cancelled.
    public func run(_ handle: @escaping @Sendable (WatcherEvent<Object>) async -> Void) async {
        var state = State.listing(continueToken: nil)
        var recovery = Recovery(backoff: backoff, unreachable: unreachableBackoff,
                                metrics: WatcherMetrics(resource: Object.resource.description,
                                                        factory: metricsFactory ?? MetricsSystem.factory))
        while !Task.isCancelled {
            let next: State
            var failure: WatcherError?
            switch state {
            case .listing(let token):
                (next, failure) = await listPage(continueToken: token, recovery: &recovery, handle: handle)
            case .watching(let rv):
                (next, failure) = await watchOnce(from: rv, recovery: &recovery, handle: handle)
            }
            if Task.isCancelled { return }
            if let failure {
                if failure.kind == .serverGone {
                    logger.info("watch of \(Object.resource) ended by the server: \(failure)")
                } else {
                    logger.warning("watch of \(Object.resource) failed: \(failure)")
                }
                await handle(.error(failure))
                if failure.retryAfter > .zero {
                    do { try await clock.suspend(for: failure.retryAfter) } catch { return }
                }
            }
            state = next
        }
    }

    /// An `AsyncStream` of the events (unbounded buffer); the watcher stops when iteration ends.
    public func events() -> AsyncStream<WatcherEvent<Object>> {
        AsyncStream { continuation in
            let task = Task { await run { continuation.yield($0) } }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func listPage(continueToken: String?, recovery: inout Recovery,
                          handle: @Sendable (WatcherEvent<Object>) async -> Void) async -> (State, WatcherError?) {
        if continueToken == nil { await handle(.initStarted) }
        logger.debug("list of \(Object.resource), page size \(pageSize), continue \(continueToken ?? "-")")
        do {
            let page = try await source.list(limit: pageSize, continueToken: continueToken)
            await handle(.initPage(page.items))
            if let next = page.metadata.continue, !next.isEmpty {
                recovery.succeeded(at: clock.now())
                return (.listing(continueToken: next), nil)
            }
            await handle(.initDone)
            recovery.succeeded(at: clock.now())
            return (.watching(resourceVersion: page.metadata.resourceVersion ?? "0"), nil)
        } catch {
            let now = clock.now()
            let delay = recovery.delay(after: error, at: now)
            if WatchFailure.isGone(error) {
                // An expired continue token: the list restarts from the beginning (after a backoff,
                // so a server that keeps expiring tokens is not hammered).
                recovery.restarted(.gone, at: now)
                return (.listing(continueToken: nil),
                        WatcherError(phase: .list, kind: .gone, message: "\(error)", retryAfter: delay))
            }
            recovery.restarted(.error, at: now)
            return (.listing(continueToken: continueToken),
                    WatcherError(phase: .list, kind: .failed, message: "\(error)", retryAfter: delay))
        }
    }

    enum WatchOutcome: Sendable {
        case ended
        case gone(String)
        case failed(any Error)
        case idle
        case cancelled
    }

    private func watchOnce(from resourceVersion: String, recovery: inout Recovery,
                           handle: @escaping @Sendable (WatcherEvent<Object>) async -> Void) async -> (State, WatcherError?) {
        let opened = clock.now()
        let progress = Locked(WatchProgress(resourceVersion: resourceVersion, lastActivity: opened))
        logger.debug("watch of \(Object.resource) from resourceVersion \(resourceVersion)")
        let (brokenSince, metrics) = (recovery.brokenSince, recovery.metrics)
        let recordRecovery: @Sendable (MonotonicInstant) -> Void = { now in
            if let brokenSince { metrics.recovered(after: now - brokenSince) }
        }
        let outcome = await withTaskGroup(of: WatchOutcome.self) { group in
            group.addTask {
                await consume(from: resourceVersion, progress: progress, onFirstEvent: recordRecovery, handle: handle)
            }
            group.addTask { await idleWatchdog(progress: progress) }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        let (rv, events, firstEvent) = progress.withLock { ($0.resourceVersion, $0.events, $0.firstEvent) }
        logger.debug("watch of \(Object.resource) ended (\(outcome)) after \(events) events; last resourceVersion \(rv)")
        // Reads the clock once: the condition, the backoff and the message agree on the instant.
        let ended = clock.now()
        if let firstEvent { recovery.succeeded(at: firstEvent, recorded: true) }
        let lasted = ended - opened
        let short = events == 0 && lasted < minimumWatchDuration
        switch outcome {
        case .ended where short:
            recovery.restarted(.error, at: ended)
            let delay = recovery.backoff.nextDelay(at: ended)
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .failed,
                                 message: "very short watch: the stream ended after \(lasted) without any event",
                                 retryAfter: delay))
        case .ended:
            recovery.restarted(.timeout, at: ended)
            return (.watching(resourceVersion: rv), nil)
        case .cancelled:
            return (.watching(resourceVersion: rv), nil)
        case .idle:
            recovery.restarted(.timeout, at: ended)
            let silence = watchTimeout + idleGrace
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .idle,
                                 message: "no event for more than \(silence)", retryAfter: .zero))
        case .gone(let message):
            recovery.restarted(.gone, at: ended)
            return (.listing(continueToken: nil),
                    WatcherError(phase: .watch, kind: .gone, message: message, retryAfter: .zero))
        case .failed(let error) where WatchFailure.isServerGone(error) && !short:
            recovery.restarted(.serverGone, at: ended)
            let delay = Duration.scaled(reconnectJitter, by: random())
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .serverGone, message: "\(error)", retryAfter: delay))
        case .failed(let error):
            recovery.restarted(.error, at: ended)
            let delay = recovery.delay(after: error, at: ended)
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .failed, message: "\(error)", retryAfter: delay))
        }
    }

    /// Reads one watch stream's batches into `handle`, event by event, until the task is
    /// cancelled; `onFirstEvent` runs when its first event (object or bookmark) arrives.
    private func consume(from resourceVersion: String, progress: Locked<WatchProgress>,
                         onFirstEvent: @Sendable (MonotonicInstant) -> Void,
                         handle: @Sendable (WatcherEvent<Object>) async -> Void) async -> WatchOutcome {
        let timeout = Int(watchTimeout.components.seconds)
        do {
            let stream = try await source.watchBatches(resourceVersion: resourceVersion, timeoutSeconds: timeout)
            for try await batch in stream {
                // One instant for the batch: its events arrived together.
                let now = clock.now()
                // Objects and bookmarks show a working watch; an ERROR event does not.
                func saw(_ rv: String?) {
                    let first = progress.withLock { p -> Bool in
                        defer { p.saw(rv, at: now) }
                        return p.events == 0
                    }
                    if first { onFirstEvent(now) }
                }
                for event in batch {
                    // As the former one-event stream: nothing is handled after cancellation (the
                    // idle watchdog won, shutdown), not even the rest of the batch.
                    if Task.isCancelled { return .cancelled }
                    switch event {
                    case .added(let o), .modified(let o):
                        saw(o.metadata.resourceVersion)
                        await handle(.apply(o))
                    case .deleted(let o):
                        saw(o.metadata.resourceVersion)
                        await handle(.delete(o))
                    case .bookmark(let meta):
                        saw(meta.resourceVersion)
                    case .error(let status):
                        if WatchFailure.isGone(status) { return .gone(status.message ?? "resource version expired") }
                        return .failed(WatchErrorEvent(status: status))
                    }
                }
            }
            return Task.isCancelled ? .cancelled : .ended
        } catch {
            if Task.isCancelled || error is CancellationError { return .cancelled }
            if WatchFailure.isGone(error) { return .gone("\(error)") }
            return .failed(error)
        }
    }

    private func idleWatchdog(progress: Locked<WatchProgress>) async -> WatchOutcome {
        let limit = watchTimeout + idleGrace
        while true {
            let last = progress.withLock { $0.lastActivity }
            do { try await clock.suspend(until: last + limit) } catch { return .cancelled }
            let latest = progress.withLock { $0.lastActivity }
            if latest == last { return .idle }
        }
    }
}

/// What a running watch has seen so far: the resume point and the time of the last event.
struct WatchProgress: Sendable {
    var resourceVersion: String
    var lastActivity: MonotonicInstant
    /// Events received on this stream (objects and bookmarks).
    var events = 0
    /// When the first of them arrived.
    var firstEvent: MonotonicInstant?

    mutating func saw(_ rv: String?, at now: MonotonicInstant) {
        if let rv, !rv.isEmpty { resourceVersion = rv }
        lastActivity = now
        events += 1
        if firstEvent == nil { firstEvent = now }
    }
}

/// A watch ERROR event other than 410, as a failure of the stream.
struct WatchErrorEvent: Error, CustomStringConvertible {
    var status: Status

    var description: String {
        "watch ERROR event: \(status.code ?? 0) \(status.reason ?? "") \(status.message ?? "")"
    }
}

import KubeAPI
import Logging


/// Keeps a consumer in sync with one resource: an explicit state machine over a `ListWatchSource`.
///
/// States and transitions:
/// - `listing(continue)`: fetches the initial list page by page (`pageSize`), yielding
///   `initStarted`, `initPage`s and `initDone`. A 410 (expired continue token) restarts the list;
///   another failure retries the same page after a backoff.
/// - `watching(rv)`: watches from the list's resourceVersion, then from the last one seen (objects
///   and bookmarks). A normal end of the stream reopens at once from the last seen version — unless
///   the stream ended within `minimumWatchDuration` without a single event (a proxy or server
///   closing watches at once), which counts as a failure, so such a peer is not hammered; a 410
///   (thrown or as an ERROR event) goes back to `listing(nil)` for a full relist; other failures
///   are yielded as `.error` and retried from the last seen version after a jittered exponential
///   backoff (0.8 s → 30 s, reset after 120 s quiet). A watch that has delivered nothing for
///   longer than `watchTimeout + idleGrace` is abandoned and reopened.
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
    public var backoff: Backoff
    /// A stream that ends normally sooner than this with no event (object or bookmark) at all is
    /// treated as a failure and backed off (client-go's "very short watch").
    public var minimumWatchDuration: Duration = .seconds(1)
    public var clock: any RuntimeClock
    public var logger: Logger

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

    /// Runs the state machine, handing every event to `handle` in order, until cancelled.
    public func run(_ handle: @escaping @Sendable (WatcherEvent<Object>) async -> Void) async {
        var state = State.listing(continueToken: nil)
        var backoff = self.backoff
        while !Task.isCancelled {
            let next: State
            var failure: WatcherError?
            switch state {
            case .listing(let token):
                (next, failure) = await listPage(continueToken: token, backoff: &backoff, handle: handle)
            case .watching(let rv):
                (next, failure) = await watchOnce(from: rv, backoff: &backoff, handle: handle)
            }
            if Task.isCancelled { return }
            if let failure {
                logger.warning("watch of \(Object.resource) failed: \(failure)")
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

    private func listPage(continueToken: String?, backoff: inout Backoff,
                          handle: @Sendable (WatcherEvent<Object>) async -> Void) async -> (State, WatcherError?) {
        if continueToken == nil { await handle(.initStarted) }
        logger.debug("list of \(Object.resource), page size \(pageSize), continue \(continueToken ?? "-")")
        do {
            let page = try await source.list(limit: pageSize, continueToken: continueToken)
            await handle(.initPage(page.items))
            if let next = page.metadata.continue, !next.isEmpty {
                return (.listing(continueToken: next), nil)
            }
            await handle(.initDone)
            return (.watching(resourceVersion: page.metadata.resourceVersion ?? "0"), nil)
        } catch {
            let delay = backoff.nextDelay(at: clock.now())
            if WatchFailure.isGone(error) {
                // An expired continue token: the list restarts from the beginning (after a backoff,
                // so a server that keeps expiring tokens is not hammered).
                return (.listing(continueToken: nil),
                        WatcherError(phase: .list, kind: .gone, message: "\(error)", retryAfter: delay))
            }
            return (.listing(continueToken: continueToken),
                    WatcherError(phase: .list, kind: .failed, message: "\(error)", retryAfter: delay))
        }
    }

    enum WatchOutcome: Sendable {
        case ended
        case gone(String)
        case failed(String)
        case idle
        case cancelled
    }

    private func watchOnce(from resourceVersion: String, backoff: inout Backoff,
                           handle: @escaping @Sendable (WatcherEvent<Object>) async -> Void) async -> (State, WatcherError?) {
        let opened = clock.now()
        let progress = Locked(WatchProgress(resourceVersion: resourceVersion, lastActivity: opened))
        logger.debug("watch of \(Object.resource) from resourceVersion \(resourceVersion)")
        let outcome = await withTaskGroup(of: WatchOutcome.self) { group in
            group.addTask { await consume(from: resourceVersion, progress: progress, handle: handle) }
            group.addTask { await idleWatchdog(progress: progress) }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        let (rv, events) = progress.withLock { ($0.resourceVersion, $0.events) }
        logger.debug("watch of \(Object.resource) ended (\(outcome)) after \(events) events; last resourceVersion \(rv)")
        let ended = clock.now()
        switch outcome {
        case .ended where events == 0 && ended - opened < minimumWatchDuration:
            let delay = backoff.nextDelay(at: ended)
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .failed,
                                 message: "very short watch: the stream ended after \(ended - opened) without any event",
                                 retryAfter: delay))
        case .ended, .cancelled:
            return (.watching(resourceVersion: rv), nil)
        case .idle:
            let silence = watchTimeout + idleGrace
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .idle,
                                 message: "no event for more than \(silence)", retryAfter: .zero))
        case .gone(let message):
            return (.listing(continueToken: nil),
                    WatcherError(phase: .watch, kind: .gone, message: message, retryAfter: .zero))
        case .failed(let message):
            let delay = backoff.nextDelay(at: clock.now())
            return (.watching(resourceVersion: rv),
                    WatcherError(phase: .watch, kind: .failed, message: message, retryAfter: delay))
        }
    }

    private func consume(from resourceVersion: String, progress: Locked<WatchProgress>,
                         handle: @Sendable (WatcherEvent<Object>) async -> Void) async -> WatchOutcome {
        let timeout = Int(watchTimeout.components.seconds)
        do {
            let stream = try await source.watch(resourceVersion: resourceVersion, timeoutSeconds: timeout)
            for try await event in stream {
                let now = clock.now()
                switch event {
                case .added(let o), .modified(let o):
                    progress.withLock { $0.saw(o.metadata.resourceVersion, at: now) }
                    await handle(.apply(o))
                case .deleted(let o):
                    progress.withLock { $0.saw(o.metadata.resourceVersion, at: now) }
                    await handle(.delete(o))
                case .bookmark(let meta):
                    progress.withLock { $0.saw(meta.resourceVersion, at: now) }
                case .error(let status):
                    if WatchFailure.isGone(status) { return .gone(status.message ?? "resource version expired") }
                    return .failed("watch ERROR event: \(status.code ?? 0) \(status.reason ?? "") \(status.message ?? "")")
                }
            }
            return Task.isCancelled ? .cancelled : .ended
        } catch {
            if Task.isCancelled || error is CancellationError { return .cancelled }
            if WatchFailure.isGone(error) { return .gone("\(error)") }
            return .failed("\(error)")
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

    mutating func saw(_ rv: String?, at now: MonotonicInstant) {
        if let rv, !rv.isEmpty { resourceVersion = rv }
        lastActivity = now
        events += 1
    }
}

import Foundation
import Logging
import Metrics
import Synchronization

/// The PostgreSQL audit sink: buffers writes in memory and stores them in batches from a dedicated
/// writer thread (blocking libpq there, never on the Swift cooperative pool).
///
/// Guarantees:
/// - `record`, `recordRun` and `recordDelivery` never block on I/O: a short lock and an append.
/// - Nothing accepted is lost while the buffer has room: a failed batch is retried on a new
///   connection (jittered exponential backoff) until stored; the schema is migrated on the first
///   connection.
/// - Each event is stored exactly once (client-generated id, `ON CONFLICT DO NOTHING`), and events
///   are stored in acceptance order, so `flow_events.id` orders each run's events as emitted.
/// - When `bufferCapacity` unsent writes are waiting, the oldest is dropped for each new one and
///   counted (`statistics.dropped`, metric `codex_k8s_audit_dropped_total`, one warning per episode and
///   a summary once the database catches up).
/// - The database URL is never logged: messages show `DatabaseURL.description` and scrubbed errors.
public final class PostgresAuditSink: AuditSink {
    public struct Configuration: Sendable {
        /// Unsent writes kept while the database is slow or down (beyond: oldest dropped).
        public var bufferCapacity: Int
        /// Largest batch handed to the database at once.
        public var maxBatch: Int
        public var reconnectBackoff: ReconnectBackoff
        public var applicationName: String

        public init(bufferCapacity: Int = 100_000, maxBatch: Int = 1000,
                    reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
                    applicationName: String = "codex-k8s")
        {
            self.bufferCapacity = bufferCapacity
            self.maxBatch = max(1, maxBatch)
            self.reconnectBackoff = reconnectBackoff
            self.applicationName = applicationName
        }
    }

    public let url: DatabaseURL
    private let queue: AuditQueue
    private let metrics: AuditMetrics
    private let logger: Logger
    private let exited = DispatchSemaphore(value: 0)
    /// Cancels the statement of the writer's current connection (shutdown, when the writer is stuck).
    private let canceller = CancelSlot()

    /// Starts the writer thread; it connects (and migrates) in the background.
    public init(url: DatabaseURL, configuration: Configuration = Configuration(), logger: Logger,
                metricsFactory: (any MetricsFactory)? = nil)
    {
        self.url = url
        self.queue = AuditQueue(capacity: configuration.bufferCapacity)
        self.metrics = AuditMetrics(factory: metricsFactory)
        self.logger = logger
        let writer = AuditWriterLoop(url: url, configuration: configuration, queue: queue, metrics: metrics,
                                     logger: logger, exited: exited, canceller: canceller)
        let thread = Thread { writer.run() }
        thread.name = "codex-k8s-audit-writer"
        thread.start()
    }

    deinit { queue.close(abandonAt: .now) }

    public func record(_ record: AuditRecord) { accept(.event(record)) }
    public func recordRun(_ run: AgentRunRecord) { accept(.run(run)) }
    public func recordDelivery(_ delivery: WebhookDeliveryRecord) { accept(.delivery(delivery)) }

    private func accept(_ write: AuditWrite) {
        let result = queue.enqueue(write)
        guard result.dropped else { return }
        metrics.dropped.increment()
        if result.startedDropping {
            logger.warning("audit buffer full: dropping the oldest unsent audit writes",
                           metadata: ["capacity": "\(queue.capacity)", "database": "\(url)"])
        }
    }

    /// Counters as of now.
    public var statistics: AuditSinkStatistics { queue.statistics }

    /// Returns once every write accepted before the call is stored, dropped or rejected.
    public func flush() async { await queue.waitUntilResolved() }

    /// Stops accepting writes and drains the buffer for at most `timeout`; returns how many writes
    /// were abandoned (counted as dropped and logged).
    ///
    /// Returns by the deadline even when the writer is stuck in libpq (a connection attempt, a lock
    /// wait, a peer that stopped answering): it then counts the in-flight batch and the buffer as lost
    /// and, on a detached thread, cancels the writer's statement (`PQcancel`) until the writer exits.
    /// A lost write is one not confirmed stored: if its statement commits before the cancel arrives,
    /// it is in the database all the same.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(5)) async -> UInt64 {
        let before = statistics.dropped
        queue.close(abandonAt: .now + timeout)
        let exited = self.exited
        let (whole, fraction) = timeout.components
        let nanoseconds = max(0, whole * 1_000_000_000 + fraction / 1_000_000_000)
        let stopped = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Thread.detachNewThread {
                let stopped = exited.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
                if stopped { exited.signal() }
                continuation.resume(returning: stopped)
            }
        }
        if !stopped {
            abandonRemaining(queue: queue, metrics: metrics, logger: logger, url: url,
                             reason: "audit writer did not stop by the shutdown deadline; unsent writes are lost")
            let canceller = self.canceller
            Thread.detachNewThread {
                // The writer may be between statements when a cancel arrives: repeat until it exits
                // (each attempt bounded by the wait; at most ~30 s in all).
                for _ in 0..<300 {
                    canceller.cancel()
                    if exited.wait(timeout: .now() + .milliseconds(100)) == .success {
                        exited.signal()
                        return
                    }
                }
            }
        }
        return statistics.dropped - before
    }

    /// Applies the schema migrations now (blocking; call off the cooperative pool or at start-up).
    /// Safe to run concurrently from several processes. Returns the versions this call applied.
    @discardableResult
    public static func migrate(_ url: DatabaseURL) throws(PostgresError) -> [Int] {
        try AuditSchema.migrate(PGConnection.connect(url))
    }
}

/// The writer thread's loop: wait for work, ensure a connection, write a batch, account for it.
private struct AuditWriterLoop: @unchecked Sendable {
    // @unchecked: everything here is Sendable except `exited` (DispatchSemaphore is thread-safe).
    let url: DatabaseURL
    let configuration: PostgresAuditSink.Configuration
    let queue: AuditQueue
    let metrics: AuditMetrics
    let logger: Logger
    let exited: DispatchSemaphore
    let canceller: CancelSlot

    func run() {
        var connection: PGConnection?
        var migrated = false
        var failing = false
        var backoff = configuration.reconnectBackoff
        var writer = AuditBatchWriter()
        while queue.waitForWork() {
            if connection == nil {
                do throws(PostgresError) {
                    let fresh = try PGConnection.connect(url, applicationName: configuration.applicationName)
                    canceller.set(fresh.makeCanceller())
                    if !migrated {
                        try AuditSchema.migrate(fresh)
                        migrated = true
                    }
                    connection = fresh
                    if failing {
                        logger.info("audit database reachable again", metadata: ["database": "\(url)"])
                        failing = false
                    }
                } catch {
                    canceller.set(nil)
                    failed(error, &failing, &backoff)
                    continue
                }
            }
            let batch = queue.takeBatch(max: configuration.maxBatch)
            do throws(PostgresError) {
                let outcome = try writer.write(batch, on: connection!)
                backoff.reset()
                let drops = queue.complete(written: outcome.written, rejected: outcome.rejected)
                metrics.written.increment(by: outcome.written)
                metrics.pending.record(queue.statistics.pending)
                report(outcome, drops: drops)
            } catch {
                connection = nil
                canceller.set(nil)
                if error.isSchemaMissing {
                    // The database was recreated or restored empty: apply the migrations again on
                    // the next connection. (If `schema_migrations` survived, they are a no-op and the
                    // writes stay buffered while this is logged — a table was dropped by hand.)
                    migrated = false
                    logger.error("audit tables are missing; re-applying the schema migrations, writes stay buffered",
                                 metadata: ["error": "\(error)", "database": "\(url)"])
                }
                failed(error, &failing, &backoff)
            }
        }
        abandonRemaining(queue: queue, metrics: metrics, logger: logger, url: url,
                         reason: "audit writer stopped with unsent writes; they are lost")
        canceller.set(nil)
        exited.signal()
    }

    private func failed(_ error: PostgresError, _ failing: inout Bool, _ backoff: inout ReconnectBackoff) {
        metrics.connectionFailures.increment()
        let delay = backoff.next()
        let abandoning = queue.isAbandoning
        if !abandoning && (!failing || delay >= backoff.maximum / 2) {
            logger.warning("audit database unavailable; writes stay buffered and are retried",
                           metadata: ["error": "\(error)", "database": "\(url)",
                                      "retryInSeconds": "\(Int(delay * 1000) / 1000)",
                                      "pending": "\(queue.statistics.pending)"])
        }
        failing = true
        if !abandoning { queue.pause(seconds: delay) }
    }

    private func report(_ outcome: AuditBatchWriter.Outcome, drops: UInt64) {
        if outcome.rejected > 0 {
            metrics.rejected.increment(by: outcome.rejected)
            logger.error("audit database refused writes; they are dropped",
                         metadata: ["count": "\(outcome.rejected)",
                                    "reasons": .array(outcome.rejections.prefix(5).map { .string($0) })])
        }
        if drops > 0 {
            logger.warning("audit writes were dropped while the buffer was full",
                           metadata: ["dropped": "\(drops)", "capacity": "\(queue.capacity)"])
        }
    }
}

/// The canceller of the writer's current connection, shared with `shutdown`.
final class CancelSlot: Sendable {
    private let current = Mutex<PGCanceller?>(nil)

    func set(_ canceller: PGCanceller?) { current.withLock { $0 = canceller } }

    /// Cancels the statement running on the current connection, if any (blocking: see `PGCanceller`).
    func cancel() { current.withLock { $0 }?.cancel() }
}

/// Counts what is left in `queue` as lost (once: later calls find nothing) and logs it.
private func abandonRemaining(queue: AuditQueue, metrics: AuditMetrics, logger: Logger, url: DatabaseURL,
                              reason: Logger.Message)
{
    let lost = queue.finish()
    guard lost > 0 else { return }
    metrics.dropped.increment(by: lost)
    logger.error(reason, metadata: ["lost": "\(lost)", "database": "\(url)"])
}

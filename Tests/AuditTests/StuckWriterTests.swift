@testable import Audit
import Foundation
import PostgresTestServer
import Testing
import TestSupport

extension DatabaseTests {
    /// The writer blocked inside a statement (a lock held by another session — the same wait as a
    /// stuck peer or `pg_advisory_lock`): server-side timeouts turn the wait into a transient error,
    /// and shutdown returns by its deadline whatever the writer is doing.
    @Suite struct StuckWriterTests {
        /// `SHOW name` on a connection the sink would open for `url`.
        static func setting(_ name: String, _ url: DatabaseURL) async throws -> String? {
            try await onThread { try PGConnection.connect(url).execute("SHOW \(name)").value(0, 0) }
        }

        @Test func connectionsBoundStatementsAndLockWaitsUnlessTheURLSaysOtherwise() async throws {
            let db = try await TestDatabase.make()
            #expect(try await Self.setting("statement_timeout", db.url) == "30s")
            #expect(try await Self.setting("lock_timeout", db.url) == "10s")
            let url = try db.url
            let userTimeout = try await onThread {
                let connection = try PGConnection.connect(url)
                var milliseconds: UInt32 = 0
                var size = socklen_t(MemoryLayout<UInt32>.size)
                _ = getsockopt(connection.socket, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, &milliseconds, &size)
                return milliseconds
            }
            #expect(userTimeout == 30_000, "unacknowledged data cannot keep the connection alive forever")
            let tuned = try DatabaseURL(db.server.url(database: db.name, options: "-c lock_timeout=250"))
            #expect(try await Self.setting("lock_timeout", tuned) == "250ms")
            #expect(try await Self.setting("statement_timeout", tuned) == "30s", "other defaults stay")
        }

        @Test func cancelledAndTimedOutStatementsAreTransient() {
            for state in ["57014", "55P03"] {  // query_canceled (statement_timeout, PQcancel), lock_not_available
                #expect(PostgresError(kind: .statement(sqlState: state), message: "").isTransient, "\(state)")
            }
        }

        /// No server-side timeouts at all: only shutdown can free the writer. It returns while the lock
        /// is still held, reports the writes as lost, and cancels the writer's statement.
        @Test(.timeLimit(.minutes(1)))
        func shutdownReturnsByItsDeadlineWhileTheWriterWaitsOnALock() async throws {
            let db = try await TestDatabase.make()
            let url = try DatabaseURL(db.server.url(database: db.name,
                                                    options: "-c lock_timeout=0 -c statement_timeout=0"))
            let logs = LogRecorder()
            let sink = makeSink(url, logs: logs, applicationName: "audit-stuck-writer")
            sink.record(numbered(0, run: "r"))
            await sink.flush()  // connected and migrated

            let holder = try await db.session()
            try await onThread { try holder.execute("BEGIN; LOCK TABLE flow_events IN ACCESS EXCLUSIVE MODE") }
            for i in 1...20 { sink.record(numbered(i, run: "r")) }
            let lost = await sink.shutdown(timeout: .milliseconds(200))
            // Reaching this line with the lock still held is the point: before, shutdown waited forever.
            #expect(lost == 20)
            #expect(sink.statistics.dropped == 20)
            #expect(logs.records.contains { $0.level == .error && $0.metadata["lost"] == "20" })

            // The statement was cancelled: the writer is gone while the lock is still held…
            await sink.shutdown(timeout: .seconds(30))
            let waiting = try await db.scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE application_name = 'audit-stuck-writer' AND wait_event_type = 'Lock'
                """)
            #expect(waiting == 0, "the writer still waits for the lock")
            // …so the writes reported lost were not stored behind our back once it is released.
            try await onThread { try holder.execute("COMMIT") }
            #expect(try await db.scalar("SELECT count(*) FROM flow_events") == 1)
        }

        /// A short `lock_timeout` (from the URL): the blocked INSERT fails with SQLSTATE 55P03, which is
        /// transient — the batch stays in flight and is re-sent until the lock is released; nothing is
        /// rejected, dropped or stored twice.
        @Test(.timeLimit(.minutes(1)))
        func writesBlockedByALockAreStoredOnceItIsReleased() async throws {
            let db = try await TestDatabase.make()
            let url = try DatabaseURL(db.server.url(database: db.name, options: "-c lock_timeout=50"))
            let logs = LogRecorder()
            let sink = makeSink(url, logs: logs)
            let first = numbered(0, run: "r")
            sink.record(first)
            await sink.flush()

            let holder = try await db.session()
            try await onThread { try holder.execute("BEGIN; LOCK TABLE flow_events IN ACCESS EXCLUSIVE MODE") }
            let blocked = (1...30).map { numbered($0, run: "r") }
            blocked.forEach(sink.record)
            // The writer ran into the lock timeout at least once (or, were it taken for bad data, the
            // rows were refused — then the checks below fail)…
            await logs.waitFor { line in
                line.message.contains("audit database unavailable") && "\(line.metadata)".contains("55P03")
                    || line.message.contains("audit database refused writes")
            }
            // …and stores everything once the lock is gone.
            try await onThread { try holder.execute("COMMIT") }
            await sink.flush()

            let stats = sink.statistics
            #expect(stats.rejected == 0, "a lock timeout is not bad data")
            #expect(stats.dropped == 0)
            #expect(stats.written == 31)
            let ids = try await db.query("SELECT event_id FROM flow_events ORDER BY id").compactMap { $0[0] }
            #expect(ids == ([first] + blocked).map { $0.id.uuidString.lowercased() })
            await sink.shutdown()
        }
    }
}

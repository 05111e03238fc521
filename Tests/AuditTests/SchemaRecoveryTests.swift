import Audit
import Logging
import Testing
import TestSupport

extension DatabaseTests {
    /// The audit database is recreated empty under the same URL while the operator runs (a restore,
    /// `DROP SCHEMA … CASCADE`): the sink notices the missing tables, applies the migrations again
    /// and stores the writes it held — none is rejected as bad data.
    @Suite struct SchemaRecoveryTests {
        @Test func writesAfterTheSchemaWasDroppedAreStoredOnceItIsRecreated() async throws {
            let db = try await TestDatabase.make()
            let logs = LogRecorder()
            let sink = makeSink(try db.url, logs: logs)
            for i in 0..<50 { sink.record(numbered(i, run: "before")) }
            await sink.flush()
            #expect(try await db.scalar("SELECT count(*) FROM flow_events") == 50)

            try await db.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            let after = (0..<70).map { numbered($0, run: "after") }
            for record in after { sink.record(record) }
            await sink.flush()

            let stats = sink.statistics
            #expect(stats.rejected == 0, "no write was refused as bad data")
            #expect(stats.dropped == 0)
            #expect(stats.written == 120)
            let ids = try await db.query("SELECT event_id FROM flow_events ORDER BY id").compactMap { $0[0] }
            #expect(ids == after.map { $0.id.uuidString.lowercased() }, "the held writes, in order")
            #expect(try await db.scalar("SELECT count(*) FROM schema_migrations") >= 1, "migrations applied again")
            #expect(logs.records.contains { $0.level == .error && $0.message.contains("audit tables are missing") })
            await sink.shutdown()
        }
    }
}

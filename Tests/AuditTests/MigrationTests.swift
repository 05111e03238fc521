import Audit
import Testing

extension DatabaseTests {
    @Suite struct MigrationTests {
        static let tables = ["agent_runs", "flow_events", "schema_migrations", "webhook_deliveries"]

        @Test func migratesAnEmptyDatabaseAndRerunsAsANoOp() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            #expect(try await db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0)

            #expect(try await onThread { try PostgresAuditSink.migrate(url) } == [1])
            let tables = try await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            #expect(tables.map { $0[0] } == Self.tables)
            #expect(try await db.query("SELECT version, name FROM schema_migrations").map { $0[0] } == ["1"])

            #expect(try await onThread { try PostgresAuditSink.migrate(url) } == [])
            #expect(try await db.scalar("SELECT count(*) FROM schema_migrations") == 1)
        }

        @Test func concurrentStartsApplyEachMigrationOnce() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            async let first = onThread { try PostgresAuditSink.migrate(url) }
            async let second = onThread { try PostgresAuditSink.migrate(url) }
            async let third = onThread { try PostgresAuditSink.migrate(url) }
            let applied = try await [first, second, third]
            #expect(applied.flatMap { $0 } == [1])
            #expect(try await db.scalar("SELECT count(*) FROM schema_migrations") == 1)
        }

        @Test func agentRunsIsIndexedOnEverySearchColumn() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            try await onThread { try PostgresAuditSink.migrate(url) }
            let definitions = try await db.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'agent_runs'")
                .compactMap { $0[0] }.joined(separator: "\n")
            for column in ["repository", "issue", "pull_request", "stage", "phase", "namespace", "created_at",
                           "started_at", "finished_at", "updated_at"]
            {
                #expect(definitions.contains("(\(column)") || definitions.contains(", \(column))"),
                        "no index on agent_runs.\(column)")
            }
            #expect(try await db.scalar("""
                SELECT count(*) FROM pg_indexes WHERE tablename = 'webhook_deliveries'
                  AND indexdef LIKE 'CREATE UNIQUE INDEX%(delivery_id)'
                """) == 1)
        }
    }
}

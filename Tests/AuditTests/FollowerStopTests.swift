import Audit
import Foundation
import Testing

extension DatabaseTests {
    /// A follower whose connection breaks retries; one that reconnects to a failure no retry can fix
    /// (the schema gone, an unknown database) stops with that error instead of retrying forever.
    @Suite(.timeLimit(.minutes(1))) struct FollowerStopTests {
        @Test func aFollowerStopsWhenTheSchemaIsGoneAfterAReconnect() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            try await onThread { try PostgresAuditSink.migrate(url) }
            let follower = AuditFollower(url: url, filter: AuditFeedFilter())
            let (signals, continuation) = AsyncStream.makeStream(of: Result<Void, PostgresError>.self)
            Thread.detachNewThread {
                do throws(PostgresError) {
                    try follower.run(backoff: ReconnectBackoff(initial: 0.01, maximum: 0.05), onListening: {
                        continuation.yield(.success(()))
                    }, onEntry: { _ in })
                    continuation.finish()
                } catch {
                    continuation.yield(.failure(error))
                    continuation.finish()
                }
            }
            var it = signals.makeAsyncIterator()
            guard case .success? = await it.next() else {
                Issue.record("the follower did not start listening")
                return
            }
            // The database is emptied under the follower, and its session is ended: it reconnects,
            // finds no flow_events table and must stop with that error.
            try await db.query("DROP TABLE flow_events CASCADE")
            try await db.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'codex-k8s-events'
                  AND datname = current_database()
                """)
            guard case .failure(let error)? = await it.next() else {
                Issue.record("the follower ended without the persistent error")
                follower.stop()
                return
            }
            #expect(error.isSchemaMissing && error.isPersistent, "\(error)")
            #expect(error.summary == #"relation "flow_events" does not exist"#, "\(error)")
        }

        @Test func connectionFailuresAreClassified() async throws {
            let db = try await TestDatabase.make()
            let unknown = try DatabaseURL(db.server.url(database: "no_such_database"))
            do {
                _ = try await onThread { try PostgresAuditSink.migrate(unknown) }
                Issue.record("connecting to a missing database succeeded")
            } catch let error as PostgresError {
                #expect(error.isPersistent && error.isUnknownDatabase, "\(error)")
            }
            let refused = try DatabaseURL("postgresql://u@127.0.0.1:1/x?connect_timeout=2")
            do {
                _ = try await onThread { try PostgresAuditSink.migrate(refused) }
                Issue.record("connecting to port 1 succeeded")
            } catch let error as PostgresError {
                #expect(!error.isPersistent, "a server that is not up yet may come: \(error)")
            }
        }
    }
}

import Audit
import Foundation
import Testing

extension DatabaseTests {
    /// `codex-k8s db migrate` and `codex-k8s events` on a database without the audit schema, run
    /// as the built binary against a local PostgreSQL.
    @Suite(.timeLimit(.minutes(1))) struct DatabaseCommandTests {
        @Test func eventsOnAnEmptyDatabaseSaysHowToCreateTheSchemaAndExits() async throws {
            let db = try await TestDatabase.make()
            for arguments in [["events"], ["events", "--follow"]] {
                let run = try await BinaryRun.codexK8s(arguments, environment: ["CODEX_K8S_DATABASE_URL": db.urlString])
                #expect(run.status == 1, "\(run)")
                #expect(run.stderr == ["codex-k8s events: the audit schema is missing in \(try db.url) "
                        + #"(relation "flow_events" does not exist); create it with: codex-k8s db migrate"#], "\(run)")
                #expect(run.stdout.isEmpty)
                // It used to retry forever; it exits at once now (~0.1 s measured). The bound is loose
                // on purpose: the machine running the suite may be busy.
                #expect(run.seconds < 10, "exits at once: \(run)")
            }
        }

        @Test func migrateTwiceThenEventsWorks() async throws {
            let db = try await TestDatabase.make()
            let env = ["CODEX_K8S_DATABASE_URL": db.urlString]
            let first = try await BinaryRun.codexK8s(["db", "migrate"], environment: env)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout == ["audit schema at version 1 (applied: 1)"], "\(first)")
            let second = try await BinaryRun.codexK8s(["db", "migrate"], environment: env)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout == ["audit schema at version 1 (already up to date)"], "\(second)")
            #expect(try await db.scalar("SELECT count(*) FROM schema_migrations") == 1)

            try await db.query(FollowTests.insertSQL(run: "run-m", marker: 7))
            let events = try await BinaryRun.codexK8s(["events"], environment: env)
            #expect(events.status == 0, "\(events)")
            #expect(events.stdout.count == 1 && events.stdout[0].contains("run=run-m"), "\(events)")
        }
    }
}

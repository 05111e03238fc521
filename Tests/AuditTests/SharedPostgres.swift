import Audit
import PostgresTestServer
import Testing

/// One local PostgreSQL server for every test of a suite marked `.sharedPostgres`, started before the
/// suite and stopped after it; each test makes its own database (`TestDatabase.make()`).
struct SharedPostgresTrait: SuiteTrait, TestTrait, TestScoping {
    @TaskLocal static var server: LocalPostgres?

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws
    {
        if Self.server != nil {
            try await function()
            return
        }
        // initdb and pg_ctl block for a second or two: keep them off the cooperative pool.
        let server = try await onThread { try LocalPostgres.start() }
        do {
            try await Self.$server.withValue(server) { try await function() }
        } catch {
            try await onThread { server.stop() }
            throw error
        }
        try await onThread { server.stop() }
    }
}

extension Trait where Self == SharedPostgresTrait {
    static var sharedPostgres: SharedPostgresTrait { SharedPostgresTrait() }
}

/// A fresh database on the shared server.
struct TestDatabase {
    let server: LocalPostgres
    let name: String

    static func make() async throws -> TestDatabase {
        let server = try #require(SharedPostgresTrait.server, "test must run inside a .sharedPostgres suite")
        return TestDatabase(server: server, name: try await onThread { try server.createDatabase() })
    }

    var urlString: String { server.url(database: name) }
    var url: DatabaseURL { get throws { try DatabaseURL(urlString) } }

    /// Runs `sql` on this database (on a thread of its own: libpq blocks).
    @discardableResult
    func query(_ sql: String) async throws -> [[String?]] {
        let (server, name) = (server, name)
        return try await onThread { try server.query(sql, database: name) }
    }

    /// The single integer a query returns (e.g. `SELECT count(*) …`).
    func scalar(_ sql: String) async throws -> Int {
        let value = try await query(sql).first?.first ?? nil
        return try #require(Int(value ?? ""), "no integer from: \(sql)")
    }

    /// An open session on this database (e.g. a transaction holding a lock), opened off the pool.
    func session() async throws -> PostgresSession {
        let (server, name) = (server, name)
        return try await onThread { try PostgresSession(server, database: name) }
    }
}

/// The top-level suite of database tests: one server for all of them.
@Suite(.sharedPostgres, .serialized) struct DatabaseTests {}

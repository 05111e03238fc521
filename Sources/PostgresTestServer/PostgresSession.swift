import CPostgres

/// One open connection to a `LocalPostgres` database, for tests that need state to outlive a
/// statement (a transaction holding a lock while the code under test waits on it).
///
/// Blocking: call from a thread of its own, never the Swift cooperative pool; one call at a time.
public final class PostgresSession: @unchecked Sendable {
    // @unchecked: the PGconn is used by one caller at a time (documented contract above).
    private let connection: OpaquePointer

    /// Connects to `database` on `server`.
    public init(_ server: LocalPostgres, database: String) throws {
        guard let connection = PQconnectdb(server.url(database: database)) else {
            throw LocalPostgresError.sql("no memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw LocalPostgresError.sql(message)
        }
        // Server NOTICEs ("… does not exist, skipping", cascades) would go to stderr and clutter
        // the test output; tests assert on results and errors, never on notices.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Runs constant SQL (one or more statements) and returns the rows of the last one as text.
    @discardableResult
    public func execute(_ sql: String) throws -> [[String?]] {
        guard let result = PQexec(connection, sql) else { throw LocalPostgresError.sql("no result") }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw LocalPostgresError.sql(String(cString: PQresultErrorMessage(result)))
        }
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) != 0 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }
}

/// A failure talking to PostgreSQL. Messages come from libpq with the connection's secrets scrubbed
/// (see `DatabaseURL.scrub`), so they are safe to log.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection broke: retry on a new connection.
        case connection
        /// The server refused a statement; `sqlState` says why (e.g. `23505` unique violation).
        case statement(sqlState: String)
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// SQLSTATE of a refused statement, `nil` for connection failures.
    public var sqlState: String? {
        if case .statement(let state) = kind { return state }
        return nil
    }

    /// Whether the same statement may succeed later: connection loss, shutdown, resource exhaustion,
    /// serialization failure or deadlock. Data errors (bad values, constraint violations) are not.
    public var isTransient: Bool {
        guard let state = sqlState else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53")
            || state.hasPrefix("40") || state == "55P03"
    }

    /// Whether the statement failed because the audit schema is gone (undefined table or schema):
    /// the database was recreated or restored empty under the same URL. Not a data error — the
    /// writes are kept and retried after the migrations are applied again.
    public var isSchemaMissing: Bool {
        sqlState == "42P01" || sqlState == "3F000"
    }

    /// Whether a batch that failed with this error stays in flight (never dropped as bad data):
    /// retried on a new connection, after re-applying the migrations when the schema is missing.
    var keepsBatch: Bool { isTransient || isSchemaMissing }

    public var description: String {
        switch kind {
        case .connection: "PostgreSQL connection failed: \(message)"
        case .statement(let state): "PostgreSQL refused a statement (SQLSTATE \(state)): \(message)"
        }
    }
}

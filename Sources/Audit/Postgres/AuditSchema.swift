/// Applies `SchemaMigrations` to a database.
///
/// Contract: safe to run from any number of processes at once — a session advisory lock serialises
/// them, and each finds what the others applied in `schema_migrations`. Running it again is a no-op.
/// A database with a migration newer than this binary knows is accepted as is (rolling upgrades).
enum AuditSchema {
    /// Advisory lock key: "codexk8s" in ASCII, so it does not collide with other applications' keys.
    static let lockKey = "7165055919144515699"

    /// Brings the schema up to date; returns the versions applied by this call.
    @discardableResult
    static func migrate(_ connection: PGConnection) throws(PostgresError) -> [Int] {
        var params = PGParameters()
        params.append(lockKey)
        try connection.execute("SELECT pg_advisory_lock($1::bigint)", params)
        do throws(PostgresError) {
            try connection.executeScript("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let result = try connection.execute("SELECT version FROM schema_migrations")
            let present = Set((0..<result.rowCount).compactMap { Int(result.value($0, 0) ?? "") })
            var applied: [Int] = []
            for migration in SchemaMigrations.all where !present.contains(migration.version) {
                try connection.executeScript("BEGIN")
                do throws(PostgresError) {
                    try connection.executeScript(migration.sql)
                    var row = PGParameters()
                    row.append(migration.version)
                    row.append(migration.name)
                    try connection.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", row)
                    try connection.executeScript("COMMIT")
                } catch {
                    try? connection.executeScript("ROLLBACK")
                    throw error
                }
                applied.append(migration.version)
            }
            try connection.execute("SELECT pg_advisory_unlock($1::bigint)", params)
            return applied
        } catch {
            _ = try? connection.execute("SELECT pg_advisory_unlock($1::bigint)", params)
            throw error
        }
    }
}

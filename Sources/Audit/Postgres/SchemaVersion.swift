/// What `PostgresAuditSink.migrateSchema` did: the migrations this call applied and the schema
/// version the database is at afterwards (the highest applied migration, possibly newer than this
/// binary knows during a rolling upgrade).
public struct AuditSchemaMigration: Sendable, Equatable {
    public var applied: [Int]
    public var version: Int

    /// `audit schema at version N (applied: 1, 2)` or `… (already up to date)`.
    public var summary: String {
        let detail = applied.isEmpty ? "already up to date" : "applied: \(applied.map(String.init).joined(separator: ", "))"
        return "audit schema at version \(version) (\(detail))"
    }
}

extension PostgresAuditSink {
    /// Applies the schema migrations (as `migrate`) and reports the version reached; what
    /// `codex-k8s db migrate` runs. Blocking: call off the cooperative pool.
    public static func migrateSchema(_ url: DatabaseURL) throws(PostgresError) -> AuditSchemaMigration {
        let connection = try PGConnection.connect(url, applicationName: "codex-k8s-migrate")
        let applied = try AuditSchema.migrate(connection)
        let result = try connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
        return AuditSchemaMigration(applied: applied, version: Int(result.value(0, 0) ?? "") ?? 0)
    }
}

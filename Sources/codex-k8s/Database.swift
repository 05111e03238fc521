import ArgumentParser
import Audit
import Foundation

/// `codex-k8s db …`: administration of the audit database.
struct Database: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Administer the audit database.", subcommands: [Migrate.self])
}

extension Database {
    /// `codex-k8s db migrate`: creates or upgrades the audit schema and prints the version reached.
    /// Idempotent, and safe while the operator or webhook run (they apply the same migrations at
    /// start under the same advisory lock).
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade the audit schema (idempotent); prints the schema version reached.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let url = try database.url()
            do {
                print(try PostgresAuditSink.migrateSchema(url).summary)
            } catch {
                throw DatabaseFailure.exit("db migrate", error, url: url)
            }
        }
    }
}

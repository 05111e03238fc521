import ArgumentParser
import Audit
import Foundation

/// `--database-url-file FILE` (or `CODEX_K8S_DATABASE_URL`), shared by the commands that talk to
/// PostgreSQL. `validate()` reads and parses the URL while arguments are parsed, so a missing or
/// malformed URL is reported as a usage error of the subcommand (one line, then its usage).
struct DatabaseOptions: ParsableArguments {
    @Option(help: "File holding the database URL (default: the CODEX_K8S_DATABASE_URL environment variable).")
    var databaseURLFile: String?

    func validate() throws {
        _ = try url()
    }

    /// The database URL; a `ValidationError` naming what is wrong and what to do otherwise.
    func url() throws -> DatabaseURL {
        let url: DatabaseURL?
        do {
            url = try DatabaseURL.load(file: databaseURLFile, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        guard let url else {
            throw ValidationError("no database given: pass --database-url-file FILE or set \(DatabaseURL.environmentVariable)")
        }
        return url
    }
}

/// One line for a database failure at run time: what went wrong (libpq's first line, secrets
/// scrubbed) and what to do about it.
enum DatabaseFailure {
    static func line(_ error: PostgresError, url: DatabaseURL) -> String {
        if error.isSchemaMissing {
            return "the audit schema is missing in \(url) (\(error.summary)); create it with: codex-k8s db migrate"
        }
        if error.isAuthenticationFailure {
            return "\(url) refused the credentials (\(error.summary)); check the user and password in the database URL"
        }
        if error.kind == .connection, error.isUnknownDatabase {
            return "\(error.summary); check the database and user names in the database URL"
        }
        if error.kind == .connection {
            return "cannot connect to \(url) (\(error.summary)); check that PostgreSQL runs there and the URL is right"
        }
        return error.summary
    }

    /// Writes `codex-k8s COMMAND: LINE` to stderr and exits with status 1.
    static func exit(_ command: String, _ error: PostgresError, url: DatabaseURL) -> ExitCode {
        FileHandle.standardError.write(Data("codex-k8s \(command): \(line(error, url: url))\n".utf8))
        return ExitCode.failure
    }
}

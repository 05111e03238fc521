import CPostgres
import Foundation

/// A PostgreSQL connection string (URI `postgresql://…` or libpq `key=value` form) that never shows its
/// password.
///
/// Contract: `description`, `debugDescription` and every error built from it print only
/// `postgresql://USER@HOST:PORT/DBNAME`; the password (and the raw string) are reachable only by the
/// connection code in this module. Construction validates the string with libpq's own parser
/// (`PQconninfoParse`), so a malformed URL is rejected before any connection attempt.
public struct DatabaseURL: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The environment variable the CLI and the sinks read when no file is given.
    public static let environmentVariable = "CODEX_K8S_DATABASE_URL"

    /// The raw connection string; internal so that nothing outside the connection code can print it.
    let connectionString: String
    /// Values that must never appear in output (the password), used to scrub libpq messages.
    let secrets: [String]
    /// The URL's own `options` (server settings such as `-c lock_timeout=100`), if any; the connection
    /// code appends them after its defaults so that they win.
    let serverOptions: String?
    private let redacted: String

    public init(_ connectionString: String) throws(AuditConfigurationError) {
        let trimmed = connectionString.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .emptyDatabaseURL }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(trimmed, &errorMessage) else {
            var reason = "unparseable connection string"
            if let errorMessage {
                reason = String(cString: errorMessage).trimmingCharacters(in: .whitespacesAndNewlines)
                PQfreemem(errorMessage)
            }
            // libpq may quote part of the input; keep only what precedes any quote.
            throw .invalidDatabaseURL(reason: Self.stripQuoted(reason))
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        self.connectionString = trimmed
        self.secrets = [values["password"]].compactMap { $0 }.filter { !$0.isEmpty }
        self.serverOptions = values["options"].flatMap { $0.isEmpty ? nil : $0 }
        let user = values["user"].map { "\($0)@" } ?? ""
        let host = values["host"] ?? values["hostaddr"] ?? "localhost"
        let port = values["port"].map { ":\($0)" } ?? ""
        let database = values["dbname"].map { "/\($0)" } ?? ""
        self.redacted = "postgresql://\(user)\(host)\(port)\(database)"
    }

    /// Reads the URL from `file` when given (trailing whitespace trimmed), else from the environment
    /// variable; `nil` when neither is set (the audit then runs without a database).
    public static func load(file: String?, environment: [String: String]) throws(AuditConfigurationError)
        -> DatabaseURL?
    {
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw .unreadableDatabaseURLFile(path: file)
            }
            return try DatabaseURL(text)
        }
        guard let value = environment[environmentVariable], !value.isEmpty else { return nil }
        return try DatabaseURL(value)
    }

    public var description: String { redacted }
    public var debugDescription: String { "DatabaseURL(\(redacted))" }

    /// `text` with every secret of this URL (and the raw string itself) replaced by `***`.
    func scrub(_ text: String) -> String {
        var out = text.replacingOccurrences(of: connectionString, with: redacted)
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }

    private static func stripQuoted(_ message: String) -> String {
        guard let quote = message.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return message }
        return String(message[..<quote]).trimmingCharacters(in: CharacterSet(charactersIn: " :"))
    }
}

/// A configuration mistake of the audit layer; the message never contains the database URL.
public enum AuditConfigurationError: Error, Equatable, CustomStringConvertible {
    case emptyDatabaseURL
    case invalidDatabaseURL(reason: String)
    case unreadableDatabaseURLFile(path: String)

    public var description: String {
        switch self {
        case .emptyDatabaseURL: "the database URL is empty"
        case .invalidDatabaseURL(let reason): "the database URL is invalid: \(reason)"
        case .unreadableDatabaseURLFile(let path): "cannot read the database URL file \(path)"
        }
    }
}

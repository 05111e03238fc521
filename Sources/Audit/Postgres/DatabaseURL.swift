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
            // libpq's message is kept whole (it names the offending part); a password it might quote
            // (a malformed URL can still contain one) is masked first.
            throw .invalidDatabaseURL(reason: Self.maskPasswords(in: reason, of: trimmed))
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
            return try DatabaseURL(readFile(file))
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

    /// The file's text, or the operating system's reason it cannot be read ("Is a directory",
    /// "No such file or directory", "Permission denied"…).
    private static func readFile(_ path: String) throws(AuditConfigurationError) -> String {
        func failure() -> AuditConfigurationError {
            .unreadableDatabaseURLFile(path: path, reason: String(cString: strerror(errno)))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure() }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableDatabaseURLFile(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// `message` with any password found in `raw` (the `user:password@` part of a URI, or a
    /// `password=` value) replaced by `***`: a string libpq cannot parse may still hold one.
    static func maskPasswords(in message: String, of raw: String) -> String {
        var secrets: [String] = []
        if let scheme = raw.range(of: "://") {
            let rest = raw[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                secrets.append(String(authority[authority.index(after: colon)..<at]))
            }
            if let query = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: query)...].split(separator: "&")
                where pair.lowercased().hasPrefix("password=") {
                    secrets.append(String(pair.dropFirst("password=".count)))
                }
            }
        } else {
            var words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })[...]
            while let word = words.popFirst() {
                guard word.lowercased().hasPrefix("password") else { continue }
                var value = word.drop { $0 != "=" }.dropFirst()
                if value.isEmpty, word.lowercased() == "password" || word.lowercased() == "password=" {
                    if words.first == "=" { words.removeFirst() }
                    value = words.popFirst() ?? ""
                    if value.hasPrefix("=") { value = value.dropFirst() }
                }
                secrets.append(String(value).trimmingCharacters(in: CharacterSet(charactersIn: "'")))
            }
        }
        var out = message
        for secret in secrets where !secret.isEmpty { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }
}

/// A configuration mistake of the audit layer; the message never contains the database URL.
public enum AuditConfigurationError: Error, Equatable, CustomStringConvertible {
    case emptyDatabaseURL
    case invalidDatabaseURL(reason: String)
    case unreadableDatabaseURLFile(path: String, reason: String)

    /// One line: what is wrong and, for a malformed URL, the accepted forms.
    public var description: String {
        switch self {
        case .emptyDatabaseURL:
            "the database URL is empty; expected postgresql://USER:PASSWORD@HOST:PORT/DBNAME or key=value pairs"
        case .invalidDatabaseURL(let reason):
            "the database URL is invalid: \(reason); expected postgresql://USER:PASSWORD@HOST:PORT/DBNAME or key=value pairs"
        case .unreadableDatabaseURLFile(let path, let reason):
            "cannot read the database URL file \(path): \(reason)"
        }
    }
}

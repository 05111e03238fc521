import CPostgres
import Foundation

/// A blocking libpq connection, confined to the thread that uses it (the audit writer thread or the
/// feed thread) — never used from the Swift cooperative pool.
///
/// Contract: every value reaches the server as a statement parameter (`execute(_:_:)`); `executeScript`
/// takes constant SQL only (migrations). Errors carry libpq's message with the URL's secrets scrubbed.
final class PGConnection {
    private let handle: OpaquePointer
    private let url: DatabaseURL
    private var prepared: Set<String> = []

    private init(handle: OpaquePointer, url: DatabaseURL) {
        self.handle = handle
        self.url = url
    }

    deinit { PQfinish(handle) }

    /// Connects (blocking, bounded by `connectTimeoutSeconds` unless the URL sets `connect_timeout`).
    /// TCP keepalives are on, so a silently dead peer is noticed.
    static func connect(_ url: DatabaseURL, applicationName: String = "codex-k8s",
                        connectTimeoutSeconds: Int = 5) throws(PostgresError) -> PGConnection
    {
        // Defaults first: with expand_dbname the URL's own settings override them.
        let pairs: [(String, String)] = [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName),
            ("keepalives", "1"), ("keepalives_idle", "10"), ("keepalives_interval", "5"),
            ("keepalives_count", "3"),
            ("dbname", url.connectionString),
        ]
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(kind: .connection, message: "out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = url.scrub(String(cString: PQerrorMessage(handle)))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        // Server notices (e.g. "relation … already exists, skipping") would go to stderr; drop them.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return PGConnection(handle: handle, url: url)
    }

    /// Whether the connection is still usable.
    var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The socket to `poll()` for notifications.
    var socket: Int32 { PQsocket(handle) }

    /// Runs one parameterized statement (text format) and returns its result.
    @discardableResult
    func execute(_ sql: String, _ parameters: PGParameters = PGParameters()) throws(PostgresError) -> PGResult {
        let raw = parameters.withCValues { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(raw)
    }

    /// Runs a statement prepared once per connection under `name` (saves parsing and planning of
    /// large multi-row statements); `sql` must be the same text every time for a given name.
    @discardableResult
    func executePrepared(_ name: String, _ sql: String, _ parameters: PGParameters) throws(PostgresError)
        -> PGResult
    {
        if !prepared.contains(name) {
            _ = try check(PQprepare(handle, name, sql, Int32(parameters.count), nil))
            prepared.insert(name)
        }
        let raw = parameters.withCValues { values in
            PQexecPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
        }
        return try check(raw)
    }

    /// Runs constant SQL, possibly several statements (migrations). Never pass values here.
    func executeScript(_ sql: String) throws(PostgresError) {
        _ = try check(PQexec(handle, sql))
    }

    /// Reads whatever arrived on the socket and returns the notifications received so far.
    func drainNotifications() throws(PostgresError) -> [PGNotification] {
        guard PQconsumeInput(handle) == 1 else { throw connectionError() }
        var out: [PGNotification] = []
        while let notify = PQnotifies(handle) {
            out.append(PGNotification(channel: String(cString: notify.pointee.relname),
                                      payload: String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return out
    }

    private func check(_ raw: OpaquePointer?) throws(PostgresError) -> PGResult {
        guard let raw else { throw connectionError() }
        let result = PGResult(raw)
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            if !isHealthy { throw connectionError() }
            let message = url.scrub(result.errorMessage)
            throw PostgresError(kind: .statement(sqlState: result.sqlState ?? "XX000"), message: message)
        }
    }

    private func connectionError() -> PostgresError {
        let message = url.scrub(String(cString: PQerrorMessage(handle)))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : message)
    }
}

/// An asynchronous notification (`NOTIFY channel, 'payload'`).
struct PGNotification: Sendable, Equatable {
    var channel: String
    var payload: String
}

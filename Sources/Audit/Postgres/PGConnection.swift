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

    /// Server-side bounds set on every connection unless the URL (or `PGOPTIONS`) says otherwise:
    /// a statement may run 30 s and wait 10 s for a lock (`pg_advisory_lock` included). libpq itself
    /// never times out a statement, so without them a lock held elsewhere blocks the writer forever.
    static let defaultServerOptions = "-c statement_timeout=30000 -c lock_timeout=10000"
    /// Milliseconds unacknowledged data may stay in flight before the kernel drops the connection
    /// (`TCP_USER_TIMEOUT`); keepalives alone do not fire while data is outstanding.
    static let defaultTCPUserTimeoutMilliseconds = 30_000

    /// Connects (blocking, bounded by `connectTimeoutSeconds` unless the URL sets `connect_timeout`).
    /// TCP keepalives and `tcp_user_timeout` are on, so a silently dead peer is noticed, and
    /// `statement_timeout`/`lock_timeout` bound every statement (`defaultServerOptions`; settings in the
    /// URL's `options`, e.g. `?options=-c%20lock_timeout%3D0`, come later and win).
    static func connect(_ url: DatabaseURL, applicationName: String = "codex-k8s",
                        connectTimeoutSeconds: Int = 5) throws(PostgresError) -> PGConnection
    {
        // Defaults first: with expand_dbname the URL's own settings override them. `options` comes
        // after the URL (it would replace ours) and ends with the URL's own options, which win.
        let serverOptions = [Self.defaultServerOptions, ProcessInfo.processInfo.environment["PGOPTIONS"],
                             url.serverOptions].compactMap { $0 }.joined(separator: " ")
        let pairs: [(String, String)] = [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName),
            ("keepalives", "1"), ("keepalives_idle", "10"), ("keepalives_interval", "5"),
            ("keepalives_count", "3"), ("tcp_user_timeout", String(Self.defaultTCPUserTimeoutMilliseconds)),
            ("dbname", url.connectionString),
            ("options", serverOptions),
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

    /// A handle that cancels the statement this connection is running, from any thread (`PQcancel`);
    /// it stays valid after the connection is closed. `nil` when libpq cannot provide one.
    func makeCanceller() -> PGCanceller? {
        PQgetCancel(handle).map(PGCanceller.init)
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

/// Cancels the statement running on a connection (`PQcancel`): thread-safe, usable while the
/// connection's own thread is blocked in libpq and after that connection is closed. The statement
/// then fails with SQLSTATE 57014 (`query_canceled`, transient); a cancel that arrives while no
/// statement runs does nothing.
final class PGCanceller: @unchecked Sendable {
    // @unchecked: PGcancel is immutable after PQgetCancel, and PQcancel is documented thread-safe.
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQfreeCancel(handle) }

    /// Sends the cancel request (blocking: it opens a connection to the server); `false` when it
    /// could not be sent.
    @discardableResult
    func cancel() -> Bool {
        var error = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &error, Int32(error.count)) == 1
    }
}

/// An asynchronous notification (`NOTIFY channel, 'payload'`).
struct PGNotification: Sendable, Equatable {
    var channel: String
    var payload: String
}

import Foundation
import KubeAPI

/// Prints the audit trail: recent history, then every new event as it is inserted (LISTEN/NOTIFY).
///
/// `run` blocks its calling thread (use a dedicated thread, never the cooperative pool). It LISTENs
/// before reading history, so nothing inserted meanwhile is missed, and skips notifications already
/// shown. A notification is read as soon as it arrives: the thread sleeps in `poll()` on the libpq
/// socket and a wake pipe (`stop()`). A lost connection is re-established with backoff, and what was
/// inserted while away is read from the table (`id >` the last one seen) before following again;
/// a failure no retry can fix (no schema, refused credentials) ends `run` with that error.
public final class AuditFollower: Sendable {
    public let url: DatabaseURL
    public let filter: AuditFeedFilter
    private let wakeRead: Int32
    private let wakeWrite: Int32

    public init(url: DatabaseURL, filter: AuditFeedFilter) {
        self.url = url
        self.filter = filter
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Asks `run` to return (thread-safe, from anywhere).
    public func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Reads history then follows until `stop()`. `onListening` is called once LISTEN is active and the
    /// history has been delivered; `onEntry` gets entries in order. With `follow: false` it returns
    /// after the history.
    ///
    /// Throws when the first connection fails, and on any persistent failure
    /// (`PostgresError.isPersistent`: the schema is missing, credentials refused, unknown database),
    /// which retrying cannot fix. A transient failure after the first connection is retried with
    /// `backoff`; the back-off starts over only after a connection stayed up for `healthyAfter`
    /// seconds, so a server that accepts and then drops connections is not hammered.
    public func run(follow: Bool = true, backoff: ReconnectBackoff = ReconnectBackoff(initial: 0.2, maximum: 10),
                    healthyAfter: Double = 10, onListening: () -> Void = {},
                    onEntry: (AuditFeedEntry) -> Void) throws(PostgresError)
    {
        var lastID: Int64?
        var announced = false
        var backoff = backoff
        var connectedOnce = false
        while true {
            var connectedAt: ContinuousClock.Instant?
            do throws(PostgresError) {
                let connection = try PGConnection.connect(url, applicationName: "codex-k8s-events")
                connectedAt = .now
                if follow { try connection.executeScript("LISTEN \(SchemaMigrations.notifyChannel)") }
                var shown = Set<Int64>()
                for entry in try history(connection, after: lastID) {
                    shown.insert(entry.id)
                    lastID = max(lastID ?? entry.id, entry.id)
                    onEntry(entry)
                }
                connectedOnce = true
                guard follow else { return }
                if !announced {
                    announced = true
                    onListening()
                }
                while true {
                    guard try waitReadable(connection) else { return }
                    for notification in try connection.drainNotifications() {
                        guard let entry = AuditFeedEntry(notification: notification.payload),
                              !shown.contains(entry.id), filter.matches(entry)
                        else { continue }
                        lastID = max(lastID ?? entry.id, entry.id)
                        onEntry(entry)
                    }
                }
            } catch {
                if !connectedOnce || error.isPersistent { throw error }
                if let connectedAt, ContinuousClock.now - connectedAt >= .seconds(healthyAfter) { backoff.reset() }
                if stopRequested(timeout: backoff.next()) { return }
            }
        }
    }

    /// History: the newest `historyLimit` matching rows (oldest first), or after a reconnect every
    /// matching row after `after`.
    private func history(_ connection: PGConnection, after: Int64?) throws(PostgresError) -> [AuditFeedEntry] {
        var params = PGParameters()
        params.append(filter.run)
        params.append(filter.repository)
        let columns = """
            id, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), run, repository, actor, event,
            payload::text
            """
        let filters = "($1::text IS NULL OR run = $1) AND ($2::text IS NULL OR repository = $2)"
        let sql: String
        if let after {
            params.append(after)
            sql = "SELECT \(columns) FROM flow_events WHERE \(filters) AND id > $3::bigint ORDER BY id"
        } else {
            params.append(filter.since)
            params.append(filter.historyLimit)
            sql = """
                SELECT * FROM (SELECT \(columns) FROM flow_events WHERE \(filters)
                  AND ($3::float8 IS NULL OR time >= now() - make_interval(secs => $3::float8))
                  ORDER BY id DESC LIMIT $4::bigint) recent ORDER BY 1
                """
        }
        let result = try connection.execute(sql, params)
        return (0..<result.rowCount).map { row in
            let payload = result.value(row, 6).flatMap { try? JSONValue(parsing: $0) } ?? .object([:])
            return AuditFeedEntry(id: Int64(result.value(row, 0) ?? "") ?? 0, time: result.value(row, 1) ?? "",
                                  run: result.value(row, 2), repository: result.value(row, 3),
                                  actor: result.value(row, 4) ?? "", event: result.value(row, 5) ?? "",
                                  payload: payload)
        }
    }

    /// Sleeps in `poll()` until the database socket is readable (`true`) or `stop()` was called (`false`).
    private func waitReadable(_ connection: PGConnection) throws(PostgresError) -> Bool {
        var fds = [pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(kind: .connection, message: "poll failed: errno \(errno)")
            }
            if fds[1].revents != 0 { return false }
            if fds[0].revents != 0 { return true }
        }
    }

    /// Waits up to `timeout` seconds for `stop()`; `true` if it was called.
    private func stopRequested(timeout: Double) -> Bool {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, Int32(timeout * 1000)) > 0
    }
}

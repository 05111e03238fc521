import Foundation
import PostgresTestServer
import Synchronization
import TestSupport
import Testing

/// Runs blocking work (libpq, initdb, pg_ctl) on a thread of its own, off the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// One local PostgreSQL server for the whole end-to-end suite (each test makes its own database),
/// or the reason there is none: without the `postgres` binaries the audit checks are skipped with
/// that message and everything else still runs.
struct E2EPostgresTrait: SuiteTrait, TestScoping {
    enum Availability: Sendable {
        case server(LocalPostgres)
        case unavailable(String)
    }

    @TaskLocal static var availability: Availability?

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        if Self.availability != nil { return try await function() }
        let started: Availability
        do {
            started = .server(try await onThread { try LocalPostgres.start() })
        } catch LocalPostgresError.setup(let message) {
            started = .unavailable("audit checks skipped: \(message)")
        }
        defer { if case .server(let server) = started { server.stop() } }
        try await Self.$availability.withValue(started) { try await function() }
    }
}

extension Trait where Self == E2EPostgresTrait {
    /// A PostgreSQL server for every test of the suite (see `E2EPostgresTrait`).
    static var postgres: E2EPostgresTrait { E2EPostgresTrait() }
}

/// The audit trail of one end-to-end cluster: a fresh database that the operator and webhook
/// processes write to, the live feed of `codex-k8s events --follow` on it, and SQL for the tables.
final class AuditTrail: Sendable {
    let server: LocalPostgres
    let database: String
    let url: String
    /// `codex-k8s events --follow` (drained here; killed with the cluster's processes).
    let feed: ChildProcess
    private let state = Mutex<FeedState>(FeedState())

    private struct FeedState {
        var lines: [String] = []
        var ended = false
        var waiters: [(match: @Sendable (String) -> Bool, resume: CheckedContinuation<String?, Never>)] = []
    }

    /// Makes the database, migrates it with `codex-k8s db migrate` and starts following it; the
    /// caller owns `feed` (killed by `stop()`).
    static func start(on server: LocalPostgres) async throws -> AuditTrail {
        let database = try await onThread { try server.createDatabase(prefix: "e2e") }
        let url = server.url(database: database)
        let migrate = try await Command.run(Command.codexK8s, ["db", "migrate"], environment: ["CODEX_K8S_DATABASE_URL": url])
        guard migrate.status == 0 else { throw E2EFailure("codex-k8s db migrate: \(migrate.out)\(migrate.err)") }
        let feed = try ChildProcess(codexK8s: ["events", "--follow", "--since", "1h", "--limit", "1000"],
                                    environment: ["CODEX_K8S_DATABASE_URL": url])
        try feed.killWithParent()
        let trail = AuditTrail(server: server, database: database, url: url, feed: feed)
        Task { await trail.drain() }
        return trail
    }

    private init(server: LocalPostgres, database: String, url: String, feed: ChildProcess) {
        self.server = server
        self.database = database
        self.url = url
        self.feed = feed
    }

    private func drain() async {
        await feed.forEachLine { line in
            let ready = state.withLock { s -> [CheckedContinuation<String?, Never>] in
                s.lines.append(line)
                let (hit, rest) = (s.waiters.filter { $0.match(line) }, s.waiters.filter { !$0.match(line) })
                s.waiters = rest
                return hit.map(\.resume)
            }
            for c in ready { c.resume(returning: line) }
        }
        let left = state.withLock { s -> [CheckedContinuation<String?, Never>] in
            s.ended = true
            defer { s.waiters = [] }
            return s.waiters.map(\.resume)
        }
        for c in left { c.resume(returning: nil) }
    }

    /// Every feed line so far (`TIME EVENT run=… repository=… actor=… {payload}`).
    var lines: [String] { state.withLock { $0.lines } }

    /// The event names stored for `run`, in order.
    func events(run: String) -> [String] {
        lines.filter { $0.contains(" run=\(run) ") }.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
    }

    /// The first feed line (already seen or still to come) of `event`, for `run` if given, that
    /// contains every string of `containing`.
    @discardableResult
    func waitFor(_ event: String, run: String? = nil, containing: [String] = [], seconds: Double = 120) async throws -> String {
        let match: @Sendable (String) -> Bool = { line in
            let fields = line.split(separator: " ")
            return fields.count > 1 && fields[1] == event && (run == nil || line.contains(" run=\(run!) "))
                && containing.allSatisfy { line.contains($0) }
        }
        let found = try await within(seconds, "audit event \(event) \(run ?? "")") { [self] in
            await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
                let hit = self.state.withLock { s -> String?? in
                    if let line = s.lines.first(where: match) { return .some(line) }
                    if s.ended { return .some(nil) }
                    s.waiters.append((match, c))
                    return .none
                }
                if let hit { c.resume(returning: hit) }
            }
        }
        guard let found else { throw E2EFailure("the audit feed ended before \(event); feed: \(feed.errorText)") }
        return found
    }

    /// Rows of `sql` on this database, as text.
    func query(_ sql: String) async throws -> [[String?]] {
        let (server, database) = (server, database)
        return try await onThread { try server.query(sql, database: database) }
    }

    func stop() { feed.kill() }
}

/// A failed step of an end-to-end scenario, with what the processes said.
struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

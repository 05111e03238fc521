import Audit
import MetricsTestKit
import PostgresTestServer
import Testing
import TestSupport

@Suite struct OutageTests {
    /// The database dies (`pg_ctl stop -m immediate`, a crash) while events stream in and comes back:
    /// the writer notices (metric and warning), every accepted event is stored exactly once, and each
    /// run's events keep their order.
    @Test func databaseKilledMidStreamLosesAndDuplicatesNothing() async throws {
        let server = try await onThread { try LocalPostgres.start() }
        do {
            try await killAndRestart(server)
        } catch {
            await stopOffThePool(server)
            throw error
        }
        await stopOffThePool(server)
    }

    private func stopOffThePool(_ server: LocalPostgres) async {
        _ = try? await onThread { server.stop() }
    }

    private func killAndRestart(_ server: LocalPostgres) async throws {
        let database = try await onThread { try server.createDatabase() }
        let logs = LogRecorder()
        let metrics = TestMetrics()
        let sink = makeSink(try DatabaseURL(server.url(database: database)), maxBatch: 50, logs: logs,
                            metrics: metrics)
        let runs = ["run-a", "run-b", "run-c"]
        var emitted: [String: [Int]] = [:]
        var ids: [String] = []
        func emit(_ range: Range<Int>) {
            for i in range {
                let run = runs[i % runs.count]
                let record = numbered(i, run: run)
                sink.record(record)
                emitted[run, default: []].append(i)
                ids.append(record.id.uuidString.lowercased())
            }
        }

        emit(0..<300)
        try await onThread { try server.stopServer(immediate: true) }
        emit(300..<600)  // accepted while the database is down
        try await onThread { try server.startServer() }
        emit(600..<900)
        await sink.flush()

        let stats = sink.statistics
        #expect(stats.accepted == 900)
        #expect(stats.dropped == 0)
        #expect(stats.pending == 0)
        // The writer's connection died with the server: the next write on it failed, was counted and
        // logged — the outage did not go unnoticed.
        #expect(try metrics.expectCounter("codex_k8s_audit_connection_failures_total").totalValue > 0)
        #expect(logs.records.contains { $0.level == .warning && $0.message.contains("audit database unavailable") })
        let rows = try await onThread {
            try server.query("SELECT event_id, run, (payload->>'waitedSeconds')::int FROM flow_events ORDER BY id",
                             database: database)
        }
        #expect(rows.count == 900)
        #expect(Set(rows.compactMap { $0[0] }) == Set(ids))
        for run in runs {
            let stored = rows.filter { $0[1] == run }.compactMap { $0[2].flatMap { Int($0) } }
            #expect(stored == emitted[run], "order of \(run)")
        }
        await sink.shutdown()
    }
}

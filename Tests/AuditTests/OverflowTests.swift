import Audit
import Logging
import MetricsTestKit
import Testing
import TestSupport

extension DatabaseTests {
    @Suite struct OverflowTests {
        /// With the database unreachable, a full buffer drops its oldest unsent writes — counted in the
        /// statistics and the metric, and logged — and keeps the newest, which arrive once it is back.
        /// The URL's password (ignored by trust auth) never shows in a log line, its metadata, or the
        /// sink's descriptions.
        @Test func fullBufferDropsTheOldestAndCountsThem() async throws {
            let server = try #require(SharedPostgresTrait.server)
            let name = "t_overflow_\(UInt32.random(in: 0...UInt32.max))"
            let logs = LogRecorder()
            let metrics = TestMetrics()
            let secret = "S3cr3t-xyz"
            // The database does not exist yet, so every connection attempt fails.
            let sink = makeSink(try DatabaseURL(server.url(database: name, password: secret)), capacity: 10,
                                logs: logs, metrics: metrics)
            let records = (0..<25).map { numbered($0, run: "r") }
            records.forEach(sink.record)

            var stats = sink.statistics
            #expect(stats.accepted == 25)
            #expect(stats.dropped == 15)
            #expect(stats.pending == 10)
            #expect(try metrics.expectCounter("codex_k8s_audit_dropped_total").totalValue == 15)
            let warnings = logs.records.filter { $0.message.contains("audit buffer full") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.level == .warning)

            try await onThread { try server.query("CREATE DATABASE \(name)") }
            await sink.flush()
            stats = sink.statistics
            #expect(stats.written == 10)
            #expect(stats.pending == 0)
            let stored = try await onThread {
                try server.query("SELECT (payload->>'waitedSeconds')::int FROM flow_events ORDER BY id", database: name)
            }.map { $0[0] }
            #expect(stored == (15..<25).map { String($0) })
            #expect(logs.records.contains { $0.message.contains("dropped while the buffer was full") })
            await sink.shutdown()
            // Connection failures were logged with the database and the error: where a leak would be.
            #expect(logs.records.contains { $0.message.contains("audit database unavailable") && $0.metadata["error"] != nil })
            for line in logs.records {
                #expect(!line.message.contains(secret), "\(line.message)")
                #expect(!"\(line.metadata)".contains(secret), "metadata of \(line.message)")
            }
            for text in ["\(sink.url)", String(reflecting: sink.url), "\(sink.statistics)"] {
                #expect(!text.contains(secret))
            }
        }

        @Test func shutdownWithTheDatabaseDownReportsWhatIsLost() async throws {
            let server = try #require(SharedPostgresTrait.server)
            let sink = makeSink(try DatabaseURL(server.url(database: "t_never_created")), capacity: 100)
            (0..<7).forEach { sink.record(numbered($0, run: "r")) }
            let lost = await sink.shutdown(timeout: .milliseconds(50))
            #expect(lost == 7)
            #expect(sink.statistics.dropped == 7)
            sink.record(numbered(8, run: "r"))  // after shutdown: counted, not kept
            #expect(sink.statistics.dropped == 8)
        }
    }
}

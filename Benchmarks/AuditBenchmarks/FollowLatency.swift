import Audit
import Foundation
import PostgresTestServer
import Synchronization

/// Insert → printed-line latency of the live feed (`codex-k8s events --follow`; issue 5's target is
/// 100 ms). Each sample: an INSERT on a held connection (its commit fires the NOTIFY) is sent, and the
/// clock stops when the follower delivers that row. Samples are taken one at a time.
enum FollowLatency {
    static let insertSQL = """
        INSERT INTO flow_events (event_id, time, run, repository, actor, event, payload)
        VALUES (gen_random_uuid(), now(), 'RUN', 'owner/repo', 'operator', 'run.wait.resumed',
                '{"wait": "mcp", "waitedSeconds": 1}')
        """

    /// Lines (with arrival times) delivered by a follower, handed to the measuring thread.
    final class Arrivals: Sendable {
        private let lines = Mutex<[(String, ContinuousClock.Instant)]>([])
        private let ready = DispatchSemaphore(value: 0)

        func add(_ line: String) {
            lines.withLock { $0.append((line, .now)) }
            ready.signal()
        }

        /// The next line, or nil after 5 s without one.
        func next() -> (String, ContinuousClock.Instant)? {
            guard ready.wait(timeout: .now() + 5) == .success else { return nil }
            return lines.withLock { $0.removeFirst() }
        }
    }

    /// Inserts `samples` rows of `run`, one at a time, and returns each insert → arrival latency.
    static func measure(_ session: PostgresSession, run: String, samples: Int, arrivals: Arrivals) throws -> [Duration] {
        var latencies: [Duration] = []
        for _ in 0..<samples {
            let start = ContinuousClock.now
            try session.execute(insertSQL.replacingOccurrences(of: "RUN", with: run))
            guard let (line, seen) = arrivals.next() else { throw LocalPostgresError.sql("no line within 5 s") }
            precondition(line.contains("run=\(run)"), "unexpected line: \(line)")
            latencies.append(start.duration(to: seen))
        }
        return latencies
    }

    /// The in-process `AuditFollower` on its own thread.
    static func inProcess(_ url: DatabaseURL, _ session: PostgresSession, samples: Int) throws -> [Duration] {
        let run = "bench-follow-in-process"
        let follower = AuditFollower(url: url, filter: AuditFeedFilter(run: run, since: 60))
        let arrivals = Arrivals()
        let listening = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? follower.run(onListening: { listening.signal() }, onEntry: { arrivals.add($0.line) })
            done.signal()
        }
        listening.wait()
        defer {
            follower.stop()
            done.wait()
        }
        return try measure(session, run: run, samples: samples, arrivals: arrivals)
    }

    /// The `codex-k8s events --follow` binary as a child process, its stdout read line by line.
    static func binary(_ path: String, urlFile: String, _ session: PostgresSession, samples: Int) throws -> [Duration] {
        let run = "bench-follow-binary"
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw LocalPostgresError.setup("pipe failed") }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let pid = try Spawn.start(path, ["events", "--follow", "--run", run, "--since", "1m",
                                         "--database-url-file", urlFile], stdout: out[1], stderr: err[1])
        close(out[1])
        close(err[1])
        let arrivals = Arrivals()
        let stderrLines = Arrivals()
        readLines(out[0], into: arrivals)
        readLines(err[0], into: stderrLines)
        defer {
            kill(pid, SIGTERM)
            Spawn.wait(pid)
        }
        guard let (ready, _) = stderrLines.next(), ready.hasPrefix("following new events") else {
            throw LocalPostgresError.command("codex-k8s events did not start following")
        }
        return try measure(session, run: run, samples: samples, arrivals: arrivals)
    }

    private static func readLines(_ fd: Int32, into arrivals: Arrivals) {
        Spawn.readLines(fd, onLine: { arrivals.add($0) })
    }

    static func report(_ label: String, _ latencies: [Duration]) {
        let ms = latencies.map { seconds($0) * 1000 }.sorted()
        let p50 = ms[ms.count / 2]
        let p99 = ms[max(0, Int((Double(ms.count) * 0.99).rounded(.up)) - 1)]
        print(String(format: "events --follow latency, %@: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d inserts; target 100 ms)",
                     label, p50, p99, ms.last ?? 0, ms.count))
    }

    /// Runs both measurements; the binary one only when `codex-k8s` was built next to this benchmark.
    static func run(server: LocalPostgres, database: String, samples: Int = 200) throws {
        let url = try DatabaseURL(server.url(database: database))
        let session = try PostgresSession(server, database: database)
        report("in-process AuditFollower", try inProcess(url, session, samples: samples))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("codex-k8s").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            print("events --follow latency, binary: skipped (build the codex-k8s product first: \(executable) is missing)")
            return
        }
        let urlFile = NSTemporaryDirectory() + "/codex-bench-url-\(UUID().uuidString)"
        try server.url(database: database).write(toFile: urlFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: urlFile) }
        report("codex-k8s events --follow (child process)", try binary(executable, urlFile: urlFile, session, samples: samples))
    }
}

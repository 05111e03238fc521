import Audit
import Foundation
import KubeAPI
import Testing
import TestSupport

extension DatabaseTests {
    @Suite struct FollowTests {
        enum Signal: Sendable {
            case listening
            case entry(AuditFeedEntry)
        }

        /// Runs the follower on its own thread, reporting through a stream.
        static func follow(_ follower: AuditFollower) -> AsyncStream<Signal> {
            let (stream, continuation) = AsyncStream.makeStream(of: Signal.self)
            Thread.detachNewThread {
                try? follower.run(onListening: { continuation.yield(.listening) },
                                  onEntry: { continuation.yield(.entry($0)) })
                continuation.finish()
            }
            return stream
        }

        static func insertSQL(run: String, repository: String = "o/r", marker: Int) -> String {
            """
            INSERT INTO flow_events (event_id, time, run, repository, actor, event, payload)
            VALUES (gen_random_uuid(), now(), '\(run)', '\(repository)', 'operator', 'run.wait.resumed',
                    '{"wait": "mcp", "waitedSeconds": \(marker)}')
            """
        }

        @Test(.timeLimit(.minutes(1)))
        func historyThenLiveEvents() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            let sink = makeSink(url)
            sink.record(numbered(1, run: "run-a"))
            sink.record(numbered(2, run: "run-b"))
            sink.record(numbered(3, run: "run-a"))
            await sink.flush()
            await sink.shutdown()

            let follower = AuditFollower(url: url, filter: AuditFeedFilter(run: "run-a", since: 3600))
            var signals = Self.follow(follower).makeAsyncIterator()
            var history: [Int64] = []
            while case .entry(let entry)? = await signals.next() {
                history.append(entry.payload["waitedSeconds"]?.intValue ?? -1)
            }
            // The loop ends on the first non-entry signal, which must be `.listening`.
            #expect(history == [1, 3])

            // Latency (insert → entry) is measured by AuditBenchmarks, not asserted here.
            for marker in 10..<15 {
                try await db.query(Self.insertSQL(run: "run-b", marker: marker))  // filtered out
                try await db.query(Self.insertSQL(run: "run-a", marker: marker))
                guard case .entry(let entry)? = await signals.next() else {
                    Issue.record("feed ended")
                    break
                }
                #expect(entry.run == "run-a")
                #expect(entry.payload["waitedSeconds"]?.intValue == Int64(marker))
                #expect(entry.line.contains("run.wait.resumed run=run-a repository=o/r actor=operator"))
            }
            follower.stop()
            while await signals.next() != nil {}
        }

        @Test(.timeLimit(.minutes(1)))
        func eventsCommandFollowsTheLiveFeed() async throws {
            let db = try await TestDatabase.make()
            let url = try db.url
            try await onThread { try PostgresAuditSink.migrate(url) }
            try await db.query(Self.insertSQL(run: "run-x", marker: 1))
            let urlFile = NSTemporaryDirectory() + "/codex-audit-url-\(UUID().uuidString)"
            try db.urlString.write(toFile: urlFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: urlFile) }

            let child = try ChildProcess(try BinaryRun.binary(), ["events", "--follow", "--run", "run-x", "--since", "10m",
                                                                  "--database-url-file", urlFile],
                                         unsetting: ["CODEX_K8S_DATABASE_URL"], stderrLines: true)
            defer { child.kill() }
            try await Self.followLive(child, db: db, urlFile: urlFile)
            child.terminate()
            #expect(await child.exitStatus() != nil)
        }

        /// The `events --follow` child prints the history, says it follows, then prints new matching rows.
        static func followLive(_ child: ChildProcess, db: TestDatabase, urlFile: String) async throws {
            let history = try #require(await child.line { _ in true })
            #expect(history.contains("run.wait.resumed run=run-x repository=o/r actor=operator"))
            #expect(history.contains(#""waitedSeconds":1"#))
            let ready = try #require(await child.errorLine { _ in true })
            #expect(ready.hasPrefix("following new events"))
            #expect(!ready.contains(urlFile))

            try await db.query(Self.insertSQL(run: "run-y", marker: 2))  // another run: not shown
            try await db.query(Self.insertSQL(run: "run-x", marker: 3))
            let live = try #require(await child.line { _ in true })
            #expect(live.contains("run=run-x"))
            #expect(live.contains(#""waitedSeconds":3"#))
        }
    }
}

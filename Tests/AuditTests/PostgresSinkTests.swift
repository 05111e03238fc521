import Audit
import KubeAPI
import Testing

extension DatabaseTests {
    @Suite struct PostgresSinkTests {
        @Test func eventsAreStoredWithTheirEnvelopeAndPayload() async throws {
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            let record = AuditRecord(event: .runCreated(stage: "dev", revise: true, source: .github, deliveryID: "d-1"),
                                     subject: AuditSubject(run: "o-r-42-dev-r-0a1b", repository: "o/r", issue: 42),
                                     actor: "github:alice", time: KubeTime(secondsSince1970: 1_763_000_000.25))
            sink.record(record)
            await sink.flush()
            let rows = try await db.query("""
                SELECT event_id, extract(epoch FROM time), run, repository, actor, event, payload::text FROM flow_events
                """)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row[0] == record.id.uuidString.lowercased())
            #expect(row[1].flatMap(Double.init) == 1_763_000_000.25)
            #expect(Array(row[2...5]) == ["o-r-42-dev-r-0a1b", "o/r", "github:alice", "run.created"])
            let payload = try JSONValue(parsing: try #require(row[6]))
            #expect(payload == ["stage": "dev", "revise": true, "source": "github", "deliveryID": "d-1", "issue": 42])
            #expect(sink.statistics.written == 1)
            await sink.shutdown()
        }

        @Test func flowEventsRefuseUpdateDeleteAndTruncate() async throws {
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            for i in 0..<3 { sink.record(numbered(i, run: "r")) }
            await sink.flush()
            await sink.shutdown()
            let before = try await db.query("SELECT id, actor, payload::text FROM flow_events ORDER BY id")
            #expect(before.count == 3)
            for statement in ["UPDATE flow_events SET actor = 'mallory'", "DELETE FROM flow_events",
                              "DELETE FROM flow_events WHERE id = \(before[0][0]!)", "TRUNCATE flow_events"]
            {
                await #expect(throws: (any Error).self, "\(statement) was allowed") { try await db.query(statement) }
                do { try await db.query(statement) } catch {
                    #expect("\(error)".contains("append-only"))
                }
            }
            #expect(try await db.query("SELECT id, actor, payload::text FROM flow_events ORDER BY id") == before)
        }

        @Test func theSameEventWrittenTwiceIsStoredOnce() async throws {
            // What a retry after an ambiguous failure (lost COMMIT acknowledgement) sends again.
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            let record = numbered(1, run: "r")
            sink.record(record)
            await sink.flush()
            sink.record(record)
            sink.record(numbered(2, run: "r"))
            await sink.flush()
            #expect(try await db.scalar("SELECT count(*) FROM flow_events") == 2)
            #expect(try await db.scalar("SELECT count(*) FROM flow_events WHERE event_id = '\(record.id.uuidString)'") == 1)
            await sink.shutdown()
        }

        @Test func runUpsertsAreIdempotentAndNeverGoBackInTime() async throws {
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            let created = KubeTime(secondsSince1970: 1_763_000_000)
            var run = AgentRunRecord(name: "o-r-42-dev-0a1b", uid: "u1", repository: "o/r", issue: 42, stage: "dev",
                                     phase: "Pending", createdAt: created, updatedAt: created)
            sink.recordRun(run)
            sink.recordRun(run)
            await sink.flush()
            #expect(try await db.query("SELECT phase, namespace FROM agent_runs") == [["Pending", nil]])

            let pending = run
            run.phase = "Running"
            run.namespace = "codex-o-r-42-dev-a1b2c3"
            run.pullRequest = 7
            run.startedAt = created.adding(seconds: 5)
            run.updatedAt = created.adding(seconds: 5)
            sink.recordRun(run)
            sink.recordRun(run)  // same snapshot again in one batch
            await sink.flush()
            sink.recordRun(pending)  // a stale snapshot arriving late changes nothing
            await sink.flush()
            let rows = try await db.query("""
                SELECT phase, namespace, pull_request, extract(epoch FROM started_at)::bigint FROM agent_runs
                """)
            #expect(rows == [["Running", "codex-o-r-42-dev-a1b2c3", "7", "1763000005"]])
            #expect(sink.statistics.rejected == 0)
            await sink.shutdown()
        }

        @Test func deliveriesAreUniqueByDeliveryID() async throws {
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            let first = WebhookDeliveryRecord(deliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "issues",
                                              action: "labeled", repository: "o/r", sender: "alice",
                                              outcome: .accepted, run: "o-r-42-dev-0a1b")
            var redelivery = first
            redelivery.outcome = .duplicate
            sink.recordDelivery(first)
            await sink.flush()
            sink.recordDelivery(redelivery)
            sink.recordDelivery(WebhookDeliveryRecord(deliveryID: "other", event: "ping", outcome: .pong))
            await sink.flush()
            let rows = try await db.query("SELECT delivery_id, outcome, run FROM webhook_deliveries ORDER BY received_at")
            #expect(rows == [["72d3162e-cc78-11e3-81ab-4c9367dc0958", "accepted", "o-r-42-dev-0a1b"],
                             ["other", "pong", nil]])
            await sink.shutdown()
        }

        @Test func injectionShapedValuesAreStoredVerbatim() async throws {
            let db = try await TestDatabase.make()
            let sink = makeSink(try db.url)
            let nasty = [
                "'); DROP TABLE flow_events; --",
                "$1, $2) ON CONFLICT DO NOTHING; --",
                "\\x00 \\' \" `backtick` $$dollar$$ %s %n",
                "Robert'); DELETE FROM agent_runs WHERE ('1'='1",
                "ünïcödé ✓ 🚀 汉字",
            ]
            for (i, value) in nasty.enumerated() {
                sink.record(AuditRecord(event: .webhookIgnored(deliveryID: "d-\(i)", reason: value),
                                        subject: AuditSubject(run: value, repository: value), actor: value))
                sink.recordDelivery(WebhookDeliveryRecord(deliveryID: value, event: value, action: value,
                                                          outcome: .ignored, reason: value))
                sink.recordRun(AgentRunRecord(name: value, repository: value, issue: i + 1, stage: value,
                                              phase: value, reason: value, createdAt: .now()))
            }
            await sink.flush()
            #expect(sink.statistics.rejected == 0)
            let events = try await db.query("SELECT run, repository, actor, payload->>'reason' FROM flow_events ORDER BY id")
            #expect(events == nasty.map { [$0, $0, $0, $0] })
            let deliveries = try await db.query("SELECT delivery_id, event, action, reason FROM webhook_deliveries")
            #expect(Set(deliveries) == Set(nasty.map { [$0, $0, $0, $0] }))
            let runs = try await db.query("SELECT name, repository, stage, phase, reason FROM agent_runs")
            #expect(Set(runs) == Set(nasty.map { [$0, $0, $0, $0, $0] }))
            #expect(try await db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 4)
            await sink.shutdown()
        }
    }
}

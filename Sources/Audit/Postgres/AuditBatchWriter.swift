import KubeAPI

/// Turns a batch of queued writes into a few multi-row, parameterized, idempotent statements.
///
/// Contract: `write` either stores the whole batch or throws a transient or schema-missing
/// `PostgresError` (retry the same batch on a new connection, after re-applying the migrations for
/// the latter: events are keyed by their client-generated id with
/// `ON CONFLICT DO NOTHING`, run upserts ignore snapshots not newer than the stored one, deliveries
/// keep their first row — so a batch that did commit before the failure is not duplicated).
/// A statement refused for its data is retried row by row and only the refused rows are dropped
/// (returned as `rejected`). Flow events are inserted in batch order, so `flow_events.id` follows
/// acceptance order.
struct AuditBatchWriter {
    struct Outcome: Equatable {
        var written = 0
        var rejected = 0
        /// Event names (never values) of rejected writes, with the server's reason, for the log.
        var rejections: [String] = []
    }

    private var statementCache: [String: String] = [:]

    static let eventColumns = 7
    static let runColumns = 19
    static let deliveryColumns = 9
    static let rowsPerStatement = 1000

    mutating func write(_ batch: [QueuedWrite], on connection: PGConnection) throws(PostgresError) -> Outcome {
        var events: [AuditRecord] = []
        var runs: [String: AgentRunRecord] = [:]
        var runOrder: [String] = []
        var deliveries: [String: WebhookDeliveryRecord] = [:]
        var deliveryOrder: [String] = []
        for item in batch {
            switch item.write {
            case .event(let record): events.append(record)
            case .run(let run):
                if let existing = runs[run.name] {
                    if run.updatedAt >= existing.updatedAt { runs[run.name] = run }
                } else {
                    runs[run.name] = run
                    runOrder.append(run.name)
                }
            case .delivery(let delivery):
                if deliveries[delivery.deliveryID] == nil {
                    deliveries[delivery.deliveryID] = delivery
                    deliveryOrder.append(delivery.deliveryID)
                }
            }
        }
        var outcome = Outcome()
        outcome.written += batch.count - events.count - runOrder.count - deliveryOrder.count  // merged
        for chunk in events.chunked(Self.rowsPerStatement) {
            try insert(chunk, kind: "flow_events", columns: Self.eventColumns, on: connection, into: &outcome,
                       bind: Self.bindEvent, label: { $0.event.name.rawValue })
        }
        let runRows = runOrder.map { runs[$0]! }
        for chunk in runRows.chunked(Self.rowsPerStatement / 2) {
            try insert(chunk, kind: "agent_runs", columns: Self.runColumns, on: connection, into: &outcome,
                       bind: Self.bindRun, label: { _ in "agent_runs upsert" })
        }
        let deliveryRows = deliveryOrder.map { deliveries[$0]! }
        for chunk in deliveryRows.chunked(Self.rowsPerStatement) {
            try insert(chunk, kind: "webhook_deliveries", columns: Self.deliveryColumns, on: connection,
                       into: &outcome, bind: Self.bindDelivery, label: { _ in "webhook_deliveries insert" })
        }
        return outcome
    }

    /// One multi-row statement; on a data error, row by row so only the bad rows are lost.
    private mutating func insert<Row>(_ rows: [Row], kind: String, columns: Int, on connection: PGConnection,
                                      into outcome: inout Outcome, bind: (Row, inout PGParameters) -> Void,
                                      label: (Row) -> String) throws(PostgresError)
    {
        guard !rows.isEmpty else { return }
        var params = PGParameters(capacity: rows.count * columns)
        for row in rows { bind(row, &params) }
        do {
            try run(kind, rows: rows.count, params, on: connection)
            outcome.written += rows.count
            return
        } catch where error.keepsBatch {
            throw error
        } catch {}
        for row in rows {
            var single = PGParameters(capacity: columns)
            bind(row, &single)
            do {
                try run(kind, rows: 1, single, on: connection)
                outcome.written += 1
            } catch where error.keepsBatch {
                throw error
            } catch {
                outcome.rejected += 1
                outcome.rejections.append("\(label(row)): \(error.description)")
            }
        }
    }

    /// Full-size chunks and single rows (the common shapes) run as prepared statements.
    private mutating func run(_ kind: String, rows: Int, _ params: PGParameters,
                              on connection: PGConnection) throws(PostgresError)
    {
        let sql = statement(kind, rows: rows)
        if rows == 1 || rows == Self.rowsPerStatement || rows == Self.rowsPerStatement / 2 {
            try connection.executePrepared("\(kind)_\(rows)", sql, params)
        } else {
            try connection.execute(sql, params)
        }
    }

    private mutating func statement(_ kind: String, rows: Int) -> String {
        let key = "\(kind)/\(rows)"
        if let cached = statementCache[key] { return cached }
        let sql: String
        switch kind {
        case "flow_events":
            sql = "INSERT INTO flow_events (event_id, time, run, repository, actor, event, payload) VALUES "
                + Self.values(rows: rows, columns: Self.eventColumns,
                              casts: ["::uuid", "", "", "", "", "", "::jsonb"], timestamps: [1])
                + " ON CONFLICT (event_id) DO NOTHING"
        case "agent_runs":
            let columns = ["name", "uid", "repository", "issue", "pull_request", "stage", "revise", "mode", "phase",
                           "reason", "model", "reasoning", "namespace", "job_name", "debug", "created_at",
                           "started_at", "finished_at", "updated_at"]
            let updates = columns.dropFirst().map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            sql = "INSERT INTO agent_runs (\(columns.joined(separator: ", "))) VALUES "
                + Self.values(rows: rows, columns: Self.runColumns,
                              casts: ["", "", "", "::integer", "::integer", "", "::boolean", "", "", "", "", "",
                                      "", "", "::boolean", "", "", "", ""], timestamps: [15, 16, 17, 18])
                + " ON CONFLICT (name) DO UPDATE SET \(updates) WHERE agent_runs.updated_at <= EXCLUDED.updated_at"
        default:
            sql = "INSERT INTO webhook_deliveries (delivery_id, event, action, repository, sender, outcome, reason, "
                + "run, received_at) VALUES "
                + Self.values(rows: rows, columns: Self.deliveryColumns,
                              casts: Array(repeating: "", count: 9), timestamps: [8])
                + " ON CONFLICT (delivery_id) DO NOTHING"
        }
        statementCache[key] = sql
        return sql
    }

    /// `($1::uuid, to_timestamp($2::float8), …), (…)` for `rows` rows.
    private static func values(rows: Int, columns: Int, casts: [String], timestamps: Set<Int>) -> String {
        var out = ""
        out.reserveCapacity(rows * columns * 12)
        var n = 1
        for row in 0..<rows {
            out += row == 0 ? "(" : ", ("
            for column in 0..<columns {
                if column > 0 { out += ", " }
                out += timestamps.contains(column) ? "to_timestamp($\(n)::float8)" : "$\(n)\(casts[column])"
                n += 1
            }
            out += ")"
        }
        return out
    }

    static func bindEvent(_ record: AuditRecord, _ p: inout PGParameters) {
        p.append(record.id.uuidString)
        p.append(record.time.secondsSince1970)
        p.append(record.subject.run.map { AuditText.sanitize($0) })
        p.append(record.subject.repository.map { AuditText.sanitize($0) })
        p.append(AuditText.sanitize(record.actor))
        p.append(record.event.name.rawValue)
        var json = record.payload.serialized(sortedKeys: true)
        if json.count > SchemaMigrations.maxPayloadBytes {
            json = JSONValue.object(["truncated": .bool(true), "bytes": .int(Int64(json.count))]).serialized()
        }
        p.append(String(decoding: json, as: UTF8.self))
    }

    static func bindRun(_ run: AgentRunRecord, _ p: inout PGParameters) {
        let text = { (s: String?) in s.map { AuditText.sanitize($0) } }
        p.append(text(run.name)); p.append(text(run.uid)); p.append(text(run.repository)); p.append(run.issue)
        p.append(run.pullRequest); p.append(text(run.stage)); p.append(run.revise); p.append(text(run.mode))
        p.append(text(run.phase)); p.append(run.reason.map { AuditText.sanitize($0, limit: AuditText.messageLimit) })
        p.append(text(run.model)); p.append(text(run.reasoning)); p.append(text(run.namespace))
        p.append(text(run.jobName)); p.append(run.debug); p.append(run.createdAt.secondsSince1970)
        p.append(run.startedAt?.secondsSince1970); p.append(run.finishedAt?.secondsSince1970)
        p.append(run.updatedAt.secondsSince1970)
    }

    static func bindDelivery(_ d: WebhookDeliveryRecord, _ p: inout PGParameters) {
        let text = { (s: String?) in s.map { AuditText.sanitize($0) } }
        p.append(text(d.deliveryID)); p.append(text(d.event)); p.append(text(d.action)); p.append(text(d.repository))
        p.append(text(d.sender)); p.append(d.outcome.rawValue); p.append(text(d.reason)); p.append(text(d.run))
        p.append(d.receivedAt.secondsSince1970)
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

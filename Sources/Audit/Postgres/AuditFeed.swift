import Foundation
import KubeAPI

/// What `codex-k8s events` shows: optionally one run or one repository, history back to `since`.
public struct AuditFeedFilter: Sendable, Equatable {
    public var run: String?
    public var repository: String?
    /// How far back the history goes, in seconds (`nil`: no limit beyond `historyLimit`).
    public var since: Double?
    /// At most this many history entries (the most recent ones).
    public var historyLimit: Int

    public init(run: String? = nil, repository: String? = nil, since: Double? = nil, historyLimit: Int = 100) {
        self.run = run
        self.repository = repository
        self.since = since
        self.historyLimit = max(0, historyLimit)
    }

    func matches(_ entry: AuditFeedEntry) -> Bool {
        (run == nil || entry.run == run) && (repository == nil || entry.repository == repository)
    }
}

/// One `flow_events` row as the feed shows it.
public struct AuditFeedEntry: Sendable, Equatable {
    public var id: Int64
    /// RFC 3339 UTC with microseconds.
    public var time: String
    public var run: String?
    public var repository: String?
    public var actor: String
    public var event: String
    public var payload: JSONValue

    /// `TIME EVENT run=… repository=… actor=… {payload}`; values are printed as stored (JSON-escaped
    /// inside the payload), so control characters cannot forge lines.
    public var line: String {
        var parts = [time, event]
        if let run { parts.append("run=\(Self.quoted(run))") }
        if let repository { parts.append("repository=\(Self.quoted(repository))") }
        parts.append("actor=\(Self.quoted(actor))")
        parts.append(payload.jsonString(sortedKeys: true))
        return parts.joined(separator: " ")
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" }
        return plain ? value : JSONValue.string(value).jsonString()
    }

    /// Decodes a `NOTIFY` payload built by the `flow_events_notify` trigger.
    init?(notification payload: String) {
        guard let json = try? JSONValue(parsing: Array(payload.utf8)), let id = json["id"]?.intValue,
              let time = json["time"]?.stringValue, let actor = json["actor"]?.stringValue,
              let event = json["event"]?.stringValue
        else { return nil }
        self.init(id: id, time: time, run: json["run"]?.stringValue, repository: json["repository"]?.stringValue,
                  actor: actor, event: event, payload: json["payload"] ?? .object([:]))
    }

    init(id: Int64, time: String, run: String?, repository: String?, actor: String, event: String,
         payload: JSONValue)
    {
        self.id = id
        self.time = time
        self.run = run
        self.repository = repository
        self.actor = actor
        self.event = event
        self.payload = payload
    }
}

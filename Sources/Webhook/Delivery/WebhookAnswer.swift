import KubeAPI

/// One answer of SPEC §4: an HTTP status and a JSON body `{status, reason}` (+ `run`, `runs`,
/// `message`). The `outcome` names the answer for metrics and the audit.
public struct WebhookAnswer: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case accepted, duplicate, ignored, pong, rejected, failed
    }

    public var code: Int
    public var status: String
    public var reason: String
    public var run: String?
    public var runs: [String]?
    public var message: String?
    public var outcome: Outcome

    public var body: JSONValue {
        var o: [String: JSONValue] = ["status": .string(status), "reason": .string(reason)]
        if let run { o["run"] = .string(run) }
        if let runs { o["runs"] = .array(runs.map { .string($0) }) }
        if let message { o["message"] = .string(message) }
        return .object(o)
    }

    public static func accepted(run: String) -> Self {
        Self(code: 202, status: "accepted", reason: "run_created", run: run, outcome: .accepted)
    }

    public static func cancelRequested(runs: [String]) -> Self {
        Self(code: 202, status: "accepted", reason: "cancel_requested", runs: runs, outcome: .accepted)
    }

    public static func duplicate(run: String, reason: String) -> Self {
        Self(code: 200, status: "duplicate", reason: reason, run: run, outcome: .duplicate)
    }

    public static func ignored(_ reason: String) -> Self {
        Self(code: 200, status: "ignored", reason: reason, outcome: .ignored)
    }

    public static let pong = Self(code: 200, status: "pong", reason: "ping", outcome: .pong)

    static func rejected(_ code: Int, _ reason: String, _ message: String? = nil) -> Self {
        Self(code: code, status: "rejected", reason: reason, message: message, outcome: .rejected)
    }

    /// 400: a required header is missing or malformed.
    public static func badHeader(_ message: String) -> Self { rejected(400, "malformed_headers", message) }
    /// 400: the body is not the JSON the event documents.
    public static func malformed(_ message: String) -> Self { rejected(400, "malformed_payload", message) }
    public static let badSignature = rejected(401, "bad_signature", "X-Hub-Signature-256 is missing or does not match")
    public static func forbidden(repository: String) -> Self {
        rejected(403, "repository_not_allowed", "\(repository) is not in webhook.allowedRepositories")
    }
    public static let methodNotAllowed = rejected(405, "method_not_allowed", "use POST")
    public static let tooLarge = rejected(413, "payload_too_large", "the body exceeds 1 MiB")
    public static let unsupportedMediaType = rejected(415, "unsupported_media_type",
                                                      "use application/json or application/x-www-form-urlencoded")
    public static func unavailable(_ message: String) -> Self {
        Self(code: 503, status: "unavailable", reason: "kubernetes_unavailable", message: message, outcome: .failed)
    }
}

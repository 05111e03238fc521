/// The header lines of a client that are the same for every request, built once per client
/// (`KubeClient.headers(contentType:accept:)` appends them instead of interpolating each per request).
///
/// Contract: each line is exactly what the per-request interpolation gave — `Accept: <type>`,
/// `User-Agent: <config.userAgent>`, `Content-Type: <type>`, `Authorization: Bearer <token>`.
/// The value never shows the token: its `description`, `debugDescription` and `customMirror`
/// (what string interpolation, `String(reflecting:)`, `dump` and test failure messages use) give
/// the authorization line as `Authorization: Bearer <redacted>` (SPEC §7: no token in logs).
struct FixedHeaderLines: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    static let acceptJSON = "Accept: application/json"
    static let contentTypeJSON = "Content-Type: application/json"
    /// `User-Agent: <config.userAgent>`.
    let userAgent: String
    /// `Authorization: Bearer <token>` exactly when the credentials are a fixed token (`.token`);
    /// nil for no credentials or a token file (its token changes when the file is rotated, so its
    /// line is built per request).
    let authorization: String?

    init(config: KubeClientConfig) {
        userAgent = "User-Agent: \(config.userAgent)"
        if case .token(let t) = config.credentials { authorization = "Authorization: Bearer \(t)" } else { authorization = nil }
    }

    /// `authorization` with the token replaced.
    private var redactedAuthorization: String? { authorization.map { _ in "Authorization: Bearer <redacted>" } }

    var description: String {
        "FixedHeaderLines(userAgent: \(userAgent.debugDescription), authorization: "
            + (redactedAuthorization?.debugDescription ?? "nil") + ")"
    }

    var debugDescription: String { description }

    var customMirror: Mirror {
        Mirror(self, children: ["userAgent": userAgent, "authorization": redactedAuthorization as Any],
               displayStyle: .struct)
    }
}

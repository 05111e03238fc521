/// The header lines of a client that are the same for every request, built once per client
/// (`KubeClient.headers(contentType:accept:)` appends them instead of interpolating each per request).
///
/// Contract: each line is exactly what the per-request interpolation gave — `Accept: <type>`,
/// `User-Agent: <config.userAgent>`, `Content-Type: <type>`, `Authorization: Bearer <token>`.
struct FixedHeaderLines: Sendable {
    static let acceptJSON = "Accept: application/json"
    static let contentTypeJSON = "Content-Type: application/json"
    /// `User-Agent: <config.userAgent>`.
    let userAgent: String
    /// `Authorization: Bearer <token>` for a fixed token; nil for no credentials or a token file
    /// (its token changes when the file is rotated).
    let authorization: String?

    init(config: KubeClientConfig) {
        userAgent = "User-Agent: \(config.userAgent)"
        if case .token(let t) = config.credentials { authorization = "Authorization: Bearer \(t)" } else { authorization = nil }
    }
}

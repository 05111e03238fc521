import YAML

/// The GitHub REST API the reporter uses (status comments, labels, resync; docs/github.md).
/// Reporting is off while `tokenFile` is empty or the file holds no token.
public struct GitHubSettings: Sendable, Hashable {
    /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server.
    public var apiURL = "https://api.github.com"
    /// Absolute path of a file holding the token (a mounted Secret), read at every request so a
    /// rotated token needs no restart; empty: reporting is off. The token itself is never in the configuration.
    public var tokenFile = ""
    /// How often open issues and pull requests with `run:*` labels are listed to create the runs
    /// a missed webhook never created.
    public var resync = RunDuration.minutes(10)
    public init() {}

    /// The shortest `resync` accepted (each resync lists every allowed repository).
    public static let minimumResync = RunDuration.minutes(1)

    /// Whether `s` is an `http(s)://host[:port][/path]` URL without credentials, query or fragment.
    public static func isAPIURL(_ s: String) -> Bool {
        let lower = s.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }) else { return false }
        let rest = s.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" }
        return !host.isEmpty && !host.contains("@") && s.count <= 2048
            && !s.contains(where: { $0 == "?" || $0 == "#" || $0.isWhitespace || !$0.isASCII })
    }
}

extension GitHubSettings {
    mutating func read(_ r: inout ConfigReader, _ node: YAMLNode, _ path: String) {
        r.section(node, path, keys: ["apiURL", "tokenFile", "resync"]) { r, key, v, path in
            switch key {
            case "apiURL":
                if let s = r.string(v, path) {
                    if Self.isAPIURL(s) { apiURL = s } else {
                        r.fail(v, path, "must be an http(s) URL without credentials, query or fragment (e.g. https://github.example.com/api/v3), got \"\(s)\"")
                    }
                }
            case "tokenFile":
                if let s = r.string(v, path) {
                    if s.isEmpty || s.hasPrefix("/") { tokenFile = s } else { r.fail(v, path, "must be an absolute path or empty, got \"\(s)\"") }
                }
            default:
                if let d = r.duration(v, path) {
                    if d >= Self.minimumResync { resync = d } else { r.fail(v, path, "must be at least \(Self.minimumResync), got \(d)") }
                }
            }
        }
    }
}

/// Bounds and scrubs free text before it enters an audit payload, a log line or a Kubernetes Event.
///
/// Contract: the result has no control characters (they become spaces), at most `limit` characters, and any token-shaped substring — GitHub tokens (`ghp_`,
/// `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), `Bearer …`, or the password of `scheme://user:pass@`
/// — replaced by `***`. This is defence in depth: callers must not pass secrets in the first place.
public enum AuditText {
    public static let fieldLimit = 256
    public static let messageLimit = 512

    private static let tokenPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]

    public static func sanitize(_ text: String, limit: Int = fieldLimit) -> String {
        var needsWork = text.count > limit
        if !needsWork {
            for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
                needsWork = true
                break
            }
        }
        if !needsWork && !mayContainSecret(text) { return text }
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            ($0.value < 0x20 || $0.value == 0x7F) ? " " : $0
        }))
        cleaned = scrubSecrets(cleaned)
        if cleaned.count > limit { cleaned = String(cleaned.prefix(max(0, limit - 1))) + "…" }
        return cleaned
    }

    private static func mayContainSecret(_ text: String) -> Bool {
        text.contains("gh") || text.contains("github_pat_") || text.contains("earer") || text.contains("://")
    }

    private static func scrubSecrets(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for i in words.indices {
            let word = words[i]
            if tokenPrefixes.contains(where: { word.contains($0) }) {
                words[i] = "***"
            } else if i > 0, words[i - 1].lowercased().hasSuffix("bearer") {
                words[i] = "***"
            } else if let scheme = word.range(of: "://"), let at = word[scheme.upperBound...].firstIndex(of: "@"),
                      let colon = word[scheme.upperBound..<at].firstIndex(of: ":")
            {
                words[i] = String(word[..<word.index(after: colon)]) + "***" + String(word[at...])
            }
        }
        return words.joined(separator: " ")
    }
}

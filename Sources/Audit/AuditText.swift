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
        if isClean(text, limit: limit) { return text }
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            ($0.value < 0x20 || $0.value == 0x7F) ? " " : $0
        }))
        cleaned = scrubSecrets(cleaned)
        if cleaned.count > limit { cleaned = String(cleaned.prefix(max(0, limit - 1))) + "…" }
        return cleaned
    }

    /// The fast path (one pass over the UTF-8 bytes, no allocation): short enough, no control
    /// character, and none of the byte patterns a secret contains (`gh`, `pat_`, `earer`, `://`).
    private static func isClean(_ text: String, limit: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if bytes.count > limit { return false }
            let n = bytes.count
            for i in 0..<n {
                let b = bytes[i]
                if b < 0x20 || b == 0x7F { return false }
                if b == UInt8(ascii: "g"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "h") { return false }
                if b == UInt8(ascii: "p"), i + 3 < n, bytes[i + 1] == UInt8(ascii: "a"),
                   bytes[i + 2] == UInt8(ascii: "t"), bytes[i + 3] == UInt8(ascii: "_") { return false }
                if b == UInt8(ascii: ":"), i + 2 < n, bytes[i + 1] == UInt8(ascii: "/"),
                   bytes[i + 2] == UInt8(ascii: "/") { return false }
                if b == UInt8(ascii: "e"), i + 4 < n, bytes[i + 1] == UInt8(ascii: "a"),
                   bytes[i + 2] == UInt8(ascii: "r"), bytes[i + 3] == UInt8(ascii: "e"),
                   bytes[i + 4] == UInt8(ascii: "r") { return false }
            }
            return true
        }
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

/// The issue a pull request body closes: GitHub's closing keywords (`close`, `closes`, `closed`,
/// `fix`, `fixes`, `fixed`, `resolve`, `resolves`, `resolved`, any case, an optional `:`) followed
/// by `#N` (SPEC §4).
///
/// Contract: returns N only when the body references exactly one distinct issue this way;
/// none or several → nil. References to other repositories (`owner/repo#N`) are not counted.
/// Total: never traps.
public enum ClosingReference {
    static let keywords: Set<String> = ["close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"]

    public static func singleIssue(in body: String?) -> Int64? {
        guard let body else { return nil }
        let refs = issues(in: body)
        return refs.count == 1 ? refs.first : nil
    }

    public static func issues(in body: String) -> Set<Int64> {
        var found: Set<Int64> = []
        let u = Array(body.utf8)
        var i = 0
        while i < u.count {
            // A word starts here when the previous byte is not a word byte.
            guard isLetter(u[i]), i == 0 || !isWord(u[i - 1]) else { i += 1; continue }
            var j = i
            while j < u.count, isLetter(u[j]) { j += 1 }
            let word = String(decoding: u[i..<j], as: UTF8.self).lowercased()
            defer { i = max(j, i + 1) }
            guard keywords.contains(word) else { continue }
            var k = j
            if k < u.count, u[k] == UInt8(ascii: ":") { k += 1 }
            let spaceStart = k
            while k < u.count, u[k] == UInt8(ascii: " ") || u[k] == UInt8(ascii: "\t") { k += 1 }
            guard k > spaceStart || (k > j), k < u.count, u[k] == UInt8(ascii: "#") else { continue }
            k += 1
            var n: Int64 = 0
            var digits = 0
            while k < u.count, let d = digit(u[k]), digits < 18 {
                n = n * 10 + d
                digits += 1
                k += 1
            }
            guard digits > 0, n >= 1, k == u.count || !isWord(u[k]) else { continue }
            found.insert(n)
        }
        return found
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    static func isWord(_ c: UInt8) -> Bool {
        isLetter(c) || digit(c) != nil || c == UInt8(ascii: "_") || c == UInt8(ascii: "/")
    }

    static func digit(_ c: UInt8) -> Int64? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? Int64(c - UInt8(ascii: "0")) : nil
    }
}

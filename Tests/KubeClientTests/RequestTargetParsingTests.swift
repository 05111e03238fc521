@testable import KubeClient
import Testing
import TestSupport

/// `RequestTarget(url:)` splits ASCII URLs on their bytes; these hold it to the former
/// `Character` parse (kept here as `reference`) for hand-picked and random URLs, ASCII or not.
@Suite struct RequestTargetParsingTests {
    struct Parts: Equatable, CustomStringConvertible {
        var host: String, port: Int, authority: String, path: String
        var description: String { "host \(host) port \(port) authority \(authority) path \(path)" }
    }

    /// `RequestTarget.init(url:)` as it was before the byte-level parse (b2ebc51).
    static func reference(_ url: String) -> Parts? {
        guard url.utf8.count > 8, url.prefix(8).lowercased() == "https://" else { return nil }
        let rest = url.dropFirst(8)
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port = 443
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":", let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = authority[..<colon]
            port = p
        }
        guard !host.isEmpty else { return nil }
        var path = String(rest[slash...])
        if path.isEmpty || path.first == "?" { path = "/" + path }
        return Parts(host: String(host), port: port, authority: String(authority), path: path)
    }

    static func parsed(_ url: String) -> Parts? {
        RequestTarget(url: url).map { Parts(host: $0.host, port: $0.port, authority: $0.authority, path: $0.path) }
    }

    static let handPicked = [
        "https://10.0.0.1:6443/api/v1/pods?watch=true", "https://[::1]:8443", "https://[::1]:8443/x?y",
        "https://kubernetes.default.svc/version", "http://127.0.0.1:80/", "https://user@host/", "https://host:0/",
        "https://host:65535/", "https://host:65536/", "https://host:+443/", "https://host:-1/", "https://host:/",
        "https://host:08/", "HTTPS://Host:6443/Path", "hTtPs://h", "https://", "https://x", "https:/x/y",
        "https://?q=1", "https://h?q=1", "https://h?q=/a", "https://h/a?b=c@d", "https://[::1", "https://[::1]x",
        "https://[::1]:", "https://[]:443/", "https://[::1]:443:1/", "https://a:b:443/", "https://:443/",
        "https://h\r\n/p", "https://h:44\r\n3/", "https://\r\nh/", "https://h/\r\n", "https\r\n://h/",
        "https://hé:443/p", "https://h/é?x=ü", "https://h\u{301}/p", "https://h/\u{301}x", "https://h:4\u{301}43/",
        "https://h@\u{301}/", "https://[::1]\u{301}:8443/", "HTTPS://İ/", "https://K/", "https://h:٤٤٣/",
        "https://127.0.0.1:34567/apis/codex-k8s.dev/v1alpha1/namespaces/ns/agentruns/run-1/status",
        "https://h//double", "https://h/#frag", "https://h#frag", "https://h:443#x/", "https://h%40x/",
    ]

    @Test func handPickedURLsParseAsBefore() {
        for url in Self.handPicked {
            #expect(Self.parsed(url) == Self.reference(url), "\(url.debugDescription)")
        }
    }

    /// URLs assembled from pieces chosen to hit every branch (scheme case, brackets, colons, ports
    /// in and out of range, user info, query without path, CR LF, combining marks, non-ASCII).
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomURLsParseAsBefore(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let schemes = ["https://", "HTTPS://", "HtTpS://", "http://", "https:/", "https:", "", "ftps://"]
        let pieces = ["h", "host", "10.0.0.1", "[", "]", "::1", ":", ":443", ":6443", ":0", ":65536", ":+8",
                      "@", "/", "?", "=", "&", "a", "\r\n", "\r", "\n", "é", "\u{301}", "%2F", "#", "0", "-", " ",
                      "/api/v1/namespaces", "?watch=true", "İ", "ü", "٤"]
        for _ in 0..<3000 {
            var url = schemes[Int(rng.next() % UInt64(schemes.count))]
            for _ in 0..<Int(rng.next() % 9) { url += pieces[Int(rng.next() % UInt64(pieces.count))] }
            #expect(Self.parsed(url) == Self.reference(url), "\(url.debugDescription)")
        }
    }
}

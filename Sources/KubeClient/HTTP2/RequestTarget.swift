/// An `https` URL split for HTTP/2: host (brackets of an IPv6 literal removed), port, the
/// `:authority` and the `:path` (path and query).
struct RequestTarget: Sendable, Equatable {
    var host: String
    var port: Int
    var authority: String
    var path: String

    /// Parses `https://host[:port][/path][?query]`; nil for anything else (other schemes, user
    /// info, a bad port), which the caller sends through libcurl instead.
    ///
    /// Every request is parsed here (≈ 14 per operator run), so an all-ASCII URL — every URL the
    /// client builds — is split on its UTF-8 bytes (`init(asciiURL:)`): one pass, no grapheme
    /// breaking. Any other URL takes the `Character` walk (`init(characterURL:)`). Both give the
    /// same result for an ASCII URL: every delimiter looked for (`/ ? @ [ ] :`) is one ASCII byte,
    /// which is always a `Character` of its own in ASCII text (the only multi-scalar ASCII
    /// grapheme is CR LF), and the scheme compares equal ignoring ASCII case either way
    /// (`RequestTargetParsingTests` holds them to the former parse).
    init?(url: String) {
        if Self.isASCII(url) { self.init(asciiURL: url) } else { self.init(characterURL: url) }
    }

    /// Whether every byte of `s` is ASCII (a contiguous string in one pass over its storage).
    static func isASCII(_ s: String) -> Bool {
        if let ascii = s.utf8.withContiguousStorageIfAvailable({ b in b.allSatisfy { $0 < 0x80 } }) { return ascii }
        return s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The byte-level parse of an all-ASCII `url` (see `init(url:)`).
    private init?(asciiURL url: String) {
        let u = url.utf8
        guard u.count > 8 else { return nil }
        var i = u.startIndex
        for expected in "https://".utf8 {
            let b = u[i]
            guard (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b) == expected else { return nil }
            u.formIndex(after: &i)
        }
        let start = i
        var slash = u.endIndex
        var at = false
        var lastColon: String.Index?
        while i < u.endIndex {
            let b = u[i]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") { slash = i; break }
            if b == UInt8(ascii: "@") { at = true }
            if b == UInt8(ascii: ":") { lastColon = i }
            u.formIndex(after: &i)
        }
        guard start < slash, !at else { return nil }
        var hostRange = start..<slash
        var port = 443
        if u[start] == UInt8(ascii: "[") {
            guard let close = u[start..<slash].firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostRange = u.index(after: start)..<close
            let after = u.index(after: close)
            if after < slash {
                guard u[after] == UInt8(ascii: ":"), let p = Int(url[u.index(after: after)..<slash]),
                      (1...65535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = lastColon {
            guard let p = Int(url[u.index(after: colon)..<slash]), (1...65535).contains(p) else { return nil }
            hostRange = start..<colon
            port = p
        }
        guard !hostRange.isEmpty else { return nil }
        self.host = String(url[hostRange])
        self.port = port
        self.authority = String(url[start..<slash])
        if slash == u.endIndex {
            self.path = "/"
        } else if u[slash] == UInt8(ascii: "?") {
            self.path = "/" + url[slash...]
        } else {
            self.path = String(url[slash...])
        }
    }

    /// The `Character` walk, for URLs with non-ASCII text (see `init(url:)`).
    private init?(characterURL url: String) {
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
        self.host = String(host)
        self.port = port
        self.authority = String(authority)
        var path = String(rest[slash...])
        if path.isEmpty || path.first == "?" { path = "/" + path }
        self.path = path
    }
}

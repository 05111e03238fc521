/// An `https` URL split for HTTP/2: host (brackets of an IPv6 literal removed), port, the
/// `:authority` and the `:path` (path and query).
struct RequestTarget: Sendable, Equatable {
    var host: String
    var port: Int
    var authority: String
    var path: String

    /// Parses `https://host[:port][/path][?query]`; nil for anything else (other schemes, user
    /// info, a bad port), which the caller sends through libcurl instead.
    init?(url: String) {
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

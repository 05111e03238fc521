/// The `RequestTarget`s of one API server's requests, without parsing the server's part of each URL
/// again: a client's request URLs are its `config.server` followed by a path (`KubeClient.url`).
///
/// Contract: `target(for: url)` equals `RequestTarget(url: url)` for every `url`. For
/// `url == server + p` where `server` is all ASCII, `p` starts with `/` and the byte after that
/// `/` (if any) is ASCII, the host, port and authority are the server's own (parsed once, from
/// `server + "/"`) and the path is the server's path part followed by `p`: the `/` ends the
/// authority in both parses (an ASCII byte after it cannot join it into one `Character`), so
/// everything before it is parsed alike. Any other URL is parsed whole (`ServerTargetTests`).
struct ServerTarget: Sendable {
    /// The server's URL as configured (`KubeClientConfig.server`: its `init` drops one trailing
    /// `/`, but the property can be set to anything; a server that still ends in `/` gives `//…`
    /// paths, exactly as the full parse does).
    let server: String
    /// `server`'s UTF-8 bytes (compared with each URL's first bytes).
    private let serverBytes: [UInt8]
    /// `RequestTarget(url: server + "/")`; nil when the server is not all ASCII or does not parse.
    let base: RequestTarget?

    init(server: String) {
        self.server = server
        serverBytes = Array(server.utf8)
        base = RequestTarget.isASCII(server) ? RequestTarget(url: server + "/") : nil
    }

    func target(for url: String) -> RequestTarget? {
        guard let base, let tail = pathAfterServer(url) else { return RequestTarget(url: url) }
        var target = base
        // `base.path` is the server's path part followed by the "/" added above.
        target.path = base.path.utf8.count == 1 ? String(url[tail...]) : String(base.path.dropLast()) + url[tail...]
        return target
    }

    /// Where `p` starts when `url` is `server + p` with `p` as the contract requires; else nil
    /// (also for a URL without contiguous UTF-8 storage: parsed whole then).
    private func pathAfterServer(_ url: String) -> String.Index? {
        let n = serverBytes.count
        let matches = url.utf8.withContiguousStorageIfAvailable { u -> Bool in
            guard u.count > n, u[n] == UInt8(ascii: "/"), n + 1 == u.count || u[n + 1] < 0x80 else { return false }
            return serverBytes.withUnsafeBufferPointer { s in
                for i in 0..<n where u[i] != s[i] { return false }
                return true
            }
        }
        guard matches == true else { return nil }
        return url.utf8.index(url.utf8.startIndex, offsetBy: n)
    }
}

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
    /// The server's URL (`KubeClientConfig.server`, no trailing `/`).
    let server: String
    /// `RequestTarget(url: server + "/")`; nil when the server is not all ASCII or does not parse.
    let base: RequestTarget?

    init(server: String) {
        self.server = server
        base = server.utf8.allSatisfy { $0 < 0x80 } ? RequestTarget(url: server + "/") : nil
    }

    func target(for url: String) -> RequestTarget? {
        guard let base, let tail = pathAfterServer(url) else { return RequestTarget(url: url) }
        var target = base
        // `base.path` is the server's path part followed by the "/" added above.
        target.path = base.path.utf8.count == 1 ? String(url[tail...]) : String(base.path.dropLast()) + url[tail...]
        return target
    }

    /// Where `p` starts when `url` is `server + p` with `p` as the contract requires; else nil.
    private func pathAfterServer(_ url: String) -> String.Index? {
        let u = url.utf8
        var i = u.startIndex
        for b in server.utf8 {
            guard i < u.endIndex, u[i] == b else { return nil }
            u.formIndex(after: &i)
        }
        guard i < u.endIndex, u[i] == UInt8(ascii: "/") else { return nil }
        let next = u.index(after: i)
        guard next == u.endIndex || u[next] < 0x80 else { return nil }
        return i
    }
}

import Synchronization

/// The last 200 answer of each GET URL with its `ETag`, for conditional requests: a 304 is served
/// from here (GitHub does not count it against the rate limit).
///
/// Contract: the kept bodies total at most `capacityBytes` (the oldest stored entry is dropped
/// first; a body larger than the whole budget is not kept); `clear()` when the token changes,
/// because answers depend on what the token may see.
final class GitHubResponseCache: Sendable {
    struct Entry: Sendable {
        var etag: String
        var body: [UInt8]
        var link: String?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let capacityBytes: Int

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    subscript(url: String) -> Entry? { state.withLock { $0.entries[url] } }

    func store(_ entry: Entry, for url: String) {
        state.withLock { s in
            if let old = s.entries.removeValue(forKey: url) {
                s.bytes -= Self.size(old, url)
                s.order.removeAll { $0 == url }
            }
            guard Self.size(entry, url) <= capacityBytes else { return }
            s.entries[url] = entry
            s.order.append(url)
            s.bytes += Self.size(entry, url)
            while s.bytes > capacityBytes, !s.order.isEmpty {
                let oldest = s.order.removeFirst()
                if let e = s.entries.removeValue(forKey: oldest) { s.bytes -= Self.size(e, oldest) }
            }
        }
    }

    func clear() { state.withLock { $0 = State() } }

    var count: Int { state.withLock { $0.entries.count } }
    var bytes: Int { state.withLock { $0.bytes } }

    private static func size(_ e: Entry, _ url: String) -> Int {
        e.body.count + e.etag.utf8.count + (e.link?.utf8.count ?? 0) + url.utf8.count
    }
}

/// RFC 8288 `Link` headers as GitHub sends them: `<url>; rel="next", <url>; rel="last"`.
enum GitHubLink {
    /// The URL of the relation `rel` (e.g. "next"), or nil.
    static func url(_ header: String?, rel: String) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";")
            guard let target = fields.first, let open = target.firstIndex(of: "<"),
                  let close = target.lastIndex(of: ">"), open < close else { continue }
            let rels = fields.dropFirst().compactMap { f -> [Substring]? in
                let kv = f.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, kv[0].filter({ $0 != " " }) == "rel" else { return nil }
                return kv[1].filter { $0 != "\"" }.split(separator: " ")
            }.joined()
            if rels.contains(where: { $0 == rel }) {
                return String(target[target.index(after: open)..<close])
            }
        }
        return nil
    }
}

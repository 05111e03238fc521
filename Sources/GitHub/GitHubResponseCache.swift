import Synchronization

/// The last 200 answer of each GET URL with its `ETag`, for conditional requests: a 304 is served
/// from here (GitHub does not count it against the rate limit).
///
/// Contract: at most `capacity` entries (the oldest stored is dropped first); `clear()` when the
/// token changes, because answers depend on what the token may see.
final class GitHubResponseCache: Sendable {
    struct Entry: Sendable {
        var etag: String
        var body: [UInt8]
        var link: String?
    }

    private let state = Mutex<(entries: [String: Entry], order: [String])>(([:], []))
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    subscript(url: String) -> Entry? { state.withLock { $0.entries[url] } }

    func store(_ entry: Entry, for url: String) {
        guard capacity > 0 else { return }
        state.withLock { s in
            if s.entries.updateValue(entry, forKey: url) == nil { s.order.append(url) }
            while s.order.count > capacity {
                s.entries[s.order.removeFirst()] = nil
            }
        }
    }

    func clear() { state.withLock { $0 = ([:], []) } }

    var count: Int { state.withLock { $0.entries.count } }
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

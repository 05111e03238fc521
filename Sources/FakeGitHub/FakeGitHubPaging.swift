/// GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page` (from 1),
/// and a `Link` header with `rel="prev"`, `"next"`, `"last"`, `"first"` in GitHub's order,
/// each URL the request's own query with `page` replaced (moved to the end).
enum FakePaging {
    static let defaultPerPage = 30
    static let maxPerPage = 100

    /// The items of the requested page and the `Link` header (nil when everything fits one page).
    static func page<T>(_ items: [T], query: [(String, String)], linkBase: String) -> (items: [T], link: String?) {
        let values = Dictionary(query.map { ($0.0, FakeQuery.decode($0.1)) }, uniquingKeysWith: { _, last in last })
        var perPage = values["per_page"].flatMap { Int($0) } ?? defaultPerPage
        if perPage < 1 { perPage = defaultPerPage }
        perPage = min(perPage, maxPerPage)
        let page = max(1, values["page"].flatMap { Int($0) } ?? 1)
        let last = max(1, (items.count + perPage - 1) / perPage)
        let start = min(items.count, (page - 1) * perPage)
        let slice = Array(items[start..<min(items.count, start + perPage)])
        guard last > 1 else { return (slice, nil) }
        let kept = query.filter { $0.0 != "page" }.map { "\($0.0)=\($0.1)" }
        func url(_ p: Int) -> String { "<\(linkBase)?\((kept + ["page=\(p)"]).joined(separator: "&"))>" }
        var links: [String] = []
        if page > 1 { links.append("\(url(min(page - 1, last))); rel=\"prev\"") }
        if page < last {
            links.append("\(url(page + 1)); rel=\"next\"")
            links.append("\(url(last)); rel=\"last\"")
        }
        if page > 1 { links.append("\(url(1)); rel=\"first\"") }
        return (slice, links.joined(separator: ", "))
    }
}

/// Query strings: ordered raw pairs, and percent-decoding.
enum FakeQuery {
    /// `a=1&b=2` as ordered raw (still percent-encoded) pairs.
    static func pairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        }
    }

    /// Decoded values by name (the last one wins).
    static func parse(_ query: String) -> [String: String] {
        Dictionary(pairs(query).map { (decode($0.0), decode($0.1)) }, uniquingKeysWith: { _, last in last })
    }

    /// Percent-decoding (and `+` as space, as in form-encoded queries).
    static func decode(_ s: some StringProtocol, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(s.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "%"), utf8.count >= 2,
               let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                utf8 = utf8.dropFirst(2)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

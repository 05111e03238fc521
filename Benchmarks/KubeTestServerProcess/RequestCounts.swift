import KubeAPI
import KubeTestServer

/// The server's request log folded into counts per client, verb and resource: what the
/// `requests` command prints and `--requests-out` writes.
///
/// JSON shape (one line): `{"total":N,"requests":[{"userAgent":"codex-k8s","verb":"create",
/// "resource":"jobs.batch","subresource":"status","count":1000},…]}` — `userAgent` is the request's
/// `User-Agent` header ("" when absent), `resource` is `plural` or `plural.group` ("" for
/// non-resource paths such as `/api`), `subresource` is omitted when there is none. Rows are sorted
/// by user agent, resource, subresource and verb.
enum RequestCounts {
    struct Key: Hashable, Comparable {
        var userAgent: String
        var resource: String
        var subresource: String
        var verb: String

        static func < (a: Key, b: Key) -> Bool {
            (a.userAgent, a.resource, a.subresource, a.verb) < (b.userAgent, b.resource, b.subresource, b.verb)
        }
    }

    static func json(_ log: [LoggedRequest]) -> JSONValue {
        var counts: [Key: Int] = [:]
        for entry in log {
            counts[Key(userAgent: entry.userAgent ?? "", resource: entry.resource, subresource: entry.subresource ?? "",
                       verb: entry.verb), default: 0] += 1
        }
        let rows: [JSONValue] = counts.keys.sorted().map { key in
            var row: [String: JSONValue] = ["userAgent": .string(key.userAgent), "verb": .string(key.verb),
                                            "resource": .string(key.resource), "count": .int(Int64(counts[key]!))]
            if !key.subresource.isEmpty { row["subresource"] = .string(key.subresource) }
            return .object(row)
        }
        return .object(["total": .int(Int64(log.count)), "requests": .array(rows)])
    }
}

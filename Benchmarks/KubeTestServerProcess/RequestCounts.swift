import KubeAPI
import KubeTestServer

/// The server's request counts per client, verb and resource (`RequestLog.tally`: every request
/// since the last reset, whatever the log's bound): what the `requests` command prints and
/// `--requests-out` writes.
///
/// JSON shape (one line): `{"total":N,"requests":[{"userAgent":"codex-k8s","verb":"create",
/// "resource":"jobs.batch","subresource":"status","count":1000},…]}` — `userAgent` is the request's
/// `User-Agent` header ("" when absent), `resource` is `plural` or `plural.group` ("" for
/// non-resource paths such as `/api`), `subresource` is omitted when there is none. Rows are sorted
/// by user agent, resource, subresource and verb.
enum RequestCounts {
    static func json(_ log: RequestLog) -> JSONValue {
        let counts = log.tally
        let total = counts.values.reduce(0, +)
        let keys = counts.keys.sorted { a, b in
            (a.userAgent, a.resource, a.subresource ?? "", a.verb) < (b.userAgent, b.resource, b.subresource ?? "", b.verb)
        }
        let rows: [JSONValue] = keys.map { key in
            var row: [String: JSONValue] = ["userAgent": .string(key.userAgent), "verb": .string(key.verb),
                                            "resource": .string(key.resource), "count": .int(Int64(counts[key]!))]
            if let sub = key.subresource, !sub.isEmpty { row["subresource"] = .string(sub) }
            return .object(row)
        }
        return .object(["total": .int(Int64(total)), "requests": .array(rows)])
    }
}

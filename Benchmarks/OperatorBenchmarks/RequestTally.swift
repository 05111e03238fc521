import KubeAPI

/// One client's requests from a `kube-test-server` `requests` answer, split the way the benchmark
/// reports them: object writes (the budget), Events, leader-election Lease requests, access
/// reviews of the self-check, reads (get, list) and watches.
struct RequestTally {
    struct Row: Hashable, Comparable {
        var verb: String
        var resource: String
        var count: Int
        static func < (a: Row, b: Row) -> Bool { (a.resource, a.verb) < (b.resource, b.verb) }
    }

    var rows: [Row] = []

    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete", "deletecollection"]

    /// The rows of `userAgent` in a `requests` JSON answer; `resource` includes `/subresource`.
    init(_ answer: JSONValue, userAgent: String) {
        for r in answer["requests"]?.arrayValue ?? [] where r["userAgent"]?.stringValue == userAgent {
            let sub = r["subresource"]?.stringValue.map { "/\($0)" } ?? ""
            rows.append(Row(verb: r["verb"]?.stringValue ?? "", resource: (r["resource"]?.stringValue ?? "") + sub,
                            count: Int(r["count"]?.intValue ?? 0)))
        }
        rows.sort()
    }

    static func isEvent(_ r: Row) -> Bool { r.resource == "events" || r.resource == "events.events.k8s.io" }
    static func isLease(_ r: Row) -> Bool { r.resource == "leases.coordination.k8s.io" }
    /// SelfSubjectAccessReviews of the start-up self-check: creates that store nothing.
    static func isReview(_ r: Row) -> Bool { r.resource.hasSuffix("accessreviews.authorization.k8s.io") }

    var objectWrites: [Row] {
        rows.filter { Self.writeVerbs.contains($0.verb) && !Self.isEvent($0) && !Self.isLease($0) && !Self.isReview($0) }
    }
    var reviews: [Row] { rows.filter(Self.isReview) }
    var eventWrites: [Row] { rows.filter { Self.writeVerbs.contains($0.verb) && Self.isEvent($0) } }
    var leaseRequests: [Row] { rows.filter { Self.isLease($0) } }
    var reads: [Row] { rows.filter { ($0.verb == "get" || $0.verb == "list") && !Self.isLease($0) } }
    var watches: [Row] { rows.filter { $0.verb == "watch" } }

    static func total(_ rows: [Row]) -> Int { rows.reduce(0) { $0 + $1.count } }
}

import Synchronization

/// One API request as the server saw it.
public struct LoggedRequest: Sendable, Hashable {
    public var verb: String
    /// `plural` or `plural.group` (empty for non-resource paths such as `/api`).
    public var resource: String
    public var subresource: String?
    public var namespace: String?
    public var name: String?
    public var path: String
    public var code: Int
    /// The request's `User-Agent` header (tells apart the clients of one server, e.g. in benchmarks).
    public var userAgent: String? = nil
    /// The HTTP version the request came over: "1.1", or "2" on an HTTP/2 stream.
    public var httpVersion: String = "1.1"
}

/// What `RequestLog.tally` counts requests by: client, verb, resource and subresource.
public struct RequestTallyKey: Sendable, Hashable {
    /// The `User-Agent` header ("" when absent).
    public var userAgent: String
    public var verb: String
    /// `plural` or `plural.group` ("" for non-resource paths).
    public var resource: String
    /// nil when there is none.
    public var subresource: String?

    public init(userAgent: String, verb: String, resource: String, subresource: String? = nil) {
        self.userAgent = userAgent
        self.verb = verb
        self.resource = resource
        self.subresource = subresource
    }

    init(_ entry: LoggedRequest) {
        self.init(userAgent: entry.userAgent ?? "", verb: entry.verb, resource: entry.resource,
                  subresource: entry.subresource)
    }
}

/// The requests the server answered since the last `reset`, for asserting API call counts in tests
/// and for benchmarks' request counts.
///
/// Contract:
/// - Unbounded (`limit` nil, the default, what tests get): `all` is every answered request, in order.
/// - Bounded (`limit` N, `ServerOptions.requestLogLimit`, for long-running processes): `all` holds
///   only the newest N requests, so memory stays flat however many requests are served.
/// - In both modes `tally`, `total`, `count(…)` and `writes(…)` count **every** request since the
///   last `reset` (they are kept as counters, not derived from `all`), so their answers do not
///   depend on the bound. `waitFor` sees a request that is answered later, or one still in `all`.
public final class RequestLog: Sendable {
    private struct Waiter {
        var matches: @Sendable (LoggedRequest) -> Bool
        var continuation: CheckedContinuation<LoggedRequest, Never>
    }

    private struct State {
        /// Oldest first; with a limit, a ring of at most `limit` entries starting at `start`.
        var entries: [LoggedRequest] = []
        var start = 0
        var tally: [RequestTallyKey: Int] = [:]
        var total = 0
    }

    /// nil: every request is kept in `all`.
    public let limit: Int?
    private let state = Mutex(State())
    private let waiters = Mutex<[Waiter]>([])

    /// `limit`: how many requests `all` keeps (the newest); nil keeps every one. Must be > 0.
    public init(limit: Int? = nil) {
        precondition(limit.map { $0 > 0 } ?? true, "RequestLog limit must be positive")
        self.limit = limit
    }

    func append(_ entry: LoggedRequest) {
        let limit = self.limit
        state.withLock { s in
            s.total += 1
            s.tally[RequestTallyKey(entry), default: 0] += 1
            if let limit, s.entries.count == limit {
                s.entries[s.start] = entry
                s.start = (s.start + 1) % limit
            } else {
                s.entries.append(entry)
            }
        }
        let ready = waiters.withLock { list -> [Waiter] in
            let hit = list.filter { $0.matches(entry) }
            list.removeAll { $0.matches(entry) }
            return hit
        }
        for w in ready { w.continuation.resume(returning: entry) }
    }

    /// Suspends until a request matching `verb`/`resource` has been answered (returns at once if
    /// one already was). Lets a test wait for a client to reach a step without polling.
    @discardableResult
    public func waitFor(verb: String, resource: String? = nil) async -> LoggedRequest {
        await waitFor { $0.verb == verb && (resource == nil || $0.resource == resource) }
    }

    /// Suspends until a request matching `matches` has been answered (returns at once if one
    /// already was and is still in `all`).
    @discardableResult
    public func waitFor(where matches: @escaping @Sendable (LoggedRequest) -> Bool) async -> LoggedRequest {
        await withCheckedContinuation { continuation in
            let existing = state.withLock { s -> LoggedRequest? in
                if let hit = Self.ordered(s).last(where: matches) { return hit }
                waiters.withLock { $0.append(Waiter(matches: matches, continuation: continuation)) }
                return nil
            }
            if let existing { continuation.resume(returning: existing) }
        }
    }

    /// The logged requests, oldest first (with a limit: only the newest `limit`).
    public var all: [LoggedRequest] { state.withLock { Self.ordered($0) } }

    /// How many requests were answered since the last `reset` (not bounded by `limit`).
    public var total: Int { state.withLock { $0.total } }

    /// Every request since the last `reset`, counted by client, verb, resource and subresource.
    public var tally: [RequestTallyKey: Int] { state.withLock { $0.tally } }

    /// Requests matching `verb` and/or `resource` (`pods`, `jobs.batch`, `agentruns.codex-k8s.dev`);
    /// `subresource` nil matches any.
    public func count(verb: String? = nil, resource: String? = nil, subresource: String? = nil) -> Int {
        counted { k in
            (verb == nil || k.verb == verb) && (resource == nil || k.resource == resource)
                && (subresource == nil || k.subresource == subresource)
        }
    }

    /// Writes (create, update, patch, delete, deletecollection), optionally of one resource.
    public func writes(resource: String? = nil) -> Int {
        counted { k in
            ["create", "update", "patch", "delete", "deletecollection"].contains(k.verb) && (resource == nil || k.resource == resource)
        }
    }

    /// The requests since the last `reset` whose tally key matches `hit`.
    private func counted(_ hit: (RequestTallyKey) -> Bool) -> Int {
        state.withLock { s in s.tally.reduce(0) { sum, row in hit(row.key) ? sum + row.value : sum } }
    }

    /// Forgets every logged request and every count.
    public func reset() {
        state.withLock { $0 = State() }
    }

    private static func ordered(_ s: State) -> [LoggedRequest] {
        s.start == 0 ? s.entries : Array(s.entries[s.start...] + s.entries[..<s.start])
    }
}

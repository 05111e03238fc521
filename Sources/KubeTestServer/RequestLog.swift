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
}

/// Every request the server answered, in order, for asserting API call counts in tests.
public final class RequestLog: Sendable {
    private struct Waiter {
        var matches: @Sendable (LoggedRequest) -> Bool
        var continuation: CheckedContinuation<LoggedRequest, Never>
    }

    private let entries = Mutex<[LoggedRequest]>([])
    private let waiters = Mutex<[Waiter]>([])

    public init() {}

    func append(_ entry: LoggedRequest) {
        entries.withLock { $0.append(entry) }
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
    /// already was).
    @discardableResult
    public func waitFor(where matches: @escaping @Sendable (LoggedRequest) -> Bool) async -> LoggedRequest {
        await withCheckedContinuation { continuation in
            let existing = entries.withLock { list -> LoggedRequest? in
                if let hit = list.last(where: matches) { return hit }
                waiters.withLock { $0.append(Waiter(matches: matches, continuation: continuation)) }
                return nil
            }
            if let existing { continuation.resume(returning: existing) }
        }
    }

    public var all: [LoggedRequest] { entries.withLock { $0 } }

    /// Requests matching `verb` and/or `resource` (`pods`, `jobs.batch`, `agentruns.codex-k8s.dev`);
    /// `subresource` nil matches any.
    public func count(verb: String? = nil, resource: String? = nil, subresource: String? = nil) -> Int {
        entries.withLock { list in
            list.filter { e in
                (verb == nil || e.verb == verb) && (resource == nil || e.resource == resource)
                    && (subresource == nil || e.subresource == subresource)
            }.count
        }
    }

    /// Writes (create, update, patch, delete, deletecollection), optionally of one resource.
    public func writes(resource: String? = nil) -> Int {
        entries.withLock { list in
            list.filter { e in
                ["create", "update", "patch", "delete", "deletecollection"].contains(e.verb)
                    && (resource == nil || e.resource == resource)
            }.count
        }
    }

    public func reset() {
        entries.withLock { $0.removeAll() }
    }
}

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
}

/// Every request the server answered, in order, for asserting API call counts in tests.
public final class RequestLog: Sendable {
    private let entries = Mutex<[LoggedRequest]>([])

    public init() {}

    func append(_ entry: LoggedRequest) {
        entries.withLock { $0.append(entry) }
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

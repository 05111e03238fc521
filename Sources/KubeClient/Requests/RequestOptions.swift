import KubeAPI

/// Options of a LIST request.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the response's `metadata.continue` fetches the next page.
    public var limit: Int?
    public var `continue`: String?
    /// `""`/`nil`: most recent (quorum read); `"0"`: any cached version; otherwise per `resourceVersionMatch`.
    public var resourceVersion: String?
    /// `Exact` or `NotOlderThan`.
    public var resourceVersionMatch: String?
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continue: String? = nil, resourceVersion: String? = nil,
                resourceVersionMatch: String? = nil, timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = `continue`
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
    }

    var query: [(String, String)] {
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let limit { q.append(("limit", String(limit))) }
        if let c = `continue` { q.append(("continue", c)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { q.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let timeoutSeconds { q.append(("timeoutSeconds", String(timeoutSeconds))) }
        return q
    }
}

/// Options of a WATCH request.
public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Start after this version (from a LIST or the last event); `nil` starts with synthetic
    /// ADDED events for every existing object.
    public var resourceVersion: String?
    public var allowWatchBookmarks: Bool
    /// Server-side limit of the watch duration.
    public var timeoutSeconds: Int?
    /// No bytes for this long ends the stream with `KubeError.idleTimeout` (dead connection).
    /// Keep it above the bookmark interval (about a minute) when bookmarks are on.
    public var idleTimeout: Duration?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = 290, idleTimeout: Duration? = .seconds(330)) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.idleTimeout = idleTimeout
    }

    var query: [(String, String)] {
        var q: [(String, String)] = [("watch", "true")]
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { q.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { q.append(("timeoutSeconds", String(timeoutSeconds))) }
        return q
    }
}

/// Options of create/replace/patch requests.
public struct WriteOptions: Sendable, Hashable {
    /// Recorded in `managedFields`; required for server-side apply.
    public var fieldManager: String?
    /// `true` sends `dryRun=All`: validated and admitted, never persisted.
    public var dryRun: Bool

    public init(fieldManager: String? = nil, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    var query: [(String, String)] {
        var q: [(String, String)] = []
        if let fieldManager { q.append(("fieldManager", fieldManager)) }
        if dryRun { q.append(("dryRun", "All")) }
        return q
    }
}

/// `metav1.DeleteOptions`: preconditions, propagation and grace period.
public struct DeleteOptions: Sendable, Hashable {
    public enum Propagation: String, Sendable, Hashable { case foreground = "Foreground", background = "Background", orphan = "Orphan" }

    /// Delete only if the object still has this uid.
    public var preconditionUID: String?
    /// Delete only if the object still has this resourceVersion.
    public var preconditionResourceVersion: String?
    public var propagationPolicy: Propagation?
    public var gracePeriodSeconds: Int?
    public var dryRun: Bool

    public init(preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                propagationPolicy: Propagation? = nil, gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    var body: JSONValue {
        var o: [String: JSONValue] = ["kind": "DeleteOptions", "apiVersion": "v1"]
        var pre: [String: JSONValue] = [:]
        if let preconditionUID { pre["uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { pre["resourceVersion"] = .string(preconditionResourceVersion) }
        if !pre.isEmpty { o["preconditions"] = .object(pre) }
        if let propagationPolicy { o["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { o["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if dryRun { o["dryRun"] = ["All"] }
        return .object(o)
    }
}

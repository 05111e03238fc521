/// What the client reports about each HTTP attempt (for `/metrics`).
public struct RequestRecord: Sendable, Hashable {
    /// The Kubernetes verb: get, list, watch, create, update, patch, delete.
    public var verb: String
    /// `plural` or `plural.group`, plus `/subresource` when there is one.
    public var resource: String
    /// The HTTP status; `nil` when the transport failed.
    public var statusCode: Int?
    /// Time from sending to the full response (for watches: to the end of the stream).
    public var latency: Duration
    /// 1 for the first try, 2+ for retries.
    public var attempt: Int

    public init(verb: String, resource: String, statusCode: Int?, latency: Duration, attempt: Int) {
        self.verb = verb
        self.resource = resource
        self.statusCode = statusCode
        self.latency = latency
        self.attempt = attempt
    }
}

/// Receives a `RequestRecord` for every attempt; called on arbitrary threads, must be cheap.
public typealias RequestObserver = @Sendable (RequestRecord) -> Void

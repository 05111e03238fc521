extension KubeClient {
    /// The same client — server, credentials, TLS, transport loop, observer, logger — with another
    /// per-request timeout and retry policy. For callers that must give up quickly instead of
    /// waiting and retrying, e.g. leader election, whose calls have to end within the renew deadline.
    public func with(requestTimeout: Duration, retryPolicy: RetryPolicy) -> KubeClient {
        var config = self.config
        config.requestTimeout = requestTimeout
        return KubeClient(config: config, retryPolicy: retryPolicy, loop: loop.curl, http2: loop.h2, observer: observer, logger: logger)
    }
}

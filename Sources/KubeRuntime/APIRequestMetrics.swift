import KubeClient
import Metrics
import Synchronization

/// API-request metrics (§9 "API requests by verb and code") fed by KubeClient's `RequestObserver`:
///
/// - `rest_client_requests_total{verb,resource,code}`: one per HTTP attempt (retries count again);
///   `code` is the HTTP status, or `<error>` when no response arrived (connection refused, reset,
///   timeout) — client-go's convention.
/// - `rest_client_request_duration_seconds{verb,resource}`: time to the full response, for every
///   verb except `watch` (a watch's "duration" is the life of its stream, not a latency).
///
/// Pass `observer` to `KubeClient(observer:)`. The observer runs on KubeClient's transport thread,
/// so it is cheap: metric handles are created once per label set and cached.
public final class APIRequestMetrics: Sendable {
    private struct Key: Hashable {
        var verb: String
        var resource: String
        var code: String
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Metrics.Timer]>([:])

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// The observer to hand to `KubeClient`.
    public var observer: RequestObserver {
        { [self] record in self.record(record) }
    }

    /// Accounts for one attempt.
    public func record(_ record: RequestRecord) {
        let code = record.statusCode.map(String.init) ?? "<error>"
        let key = Key(verb: record.verb, resource: record.resource, code: code)
        counter(for: key).increment()
        if record.verb != "watch", record.statusCode != nil {
            timer(for: Key(verb: record.verb, resource: record.resource, code: "")).record(duration: record.latency)
        }
    }

    private func counter(for key: Key) -> Counter {
        counters.withLock { cache in
            if let hit = cache[key] { return hit }
            let made = Counter(label: "rest_client_requests_total",
                               dimensions: [("verb", key.verb), ("resource", key.resource), ("code", key.code)],
                               factory: factory)
            cache[key] = made
            return made
        }
    }

    private func timer(for key: Key) -> Metrics.Timer {
        timers.withLock { cache in
            if let hit = cache[key] { return hit }
            let made = Metrics.Timer(label: "rest_client_request_duration_seconds",
                                     dimensions: [("verb", key.verb), ("resource", key.resource)],
                                     preferredDisplayUnit: .seconds, factory: factory)
            cache[key] = made
            return made
        }
    }
}

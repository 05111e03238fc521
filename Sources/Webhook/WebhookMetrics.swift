import Prometheus

/// The adapter's Prometheus metrics:
/// - `codex_webhook_deliveries_total{event, action, outcome}` — every answered request; `event` and
///   `action` are the handled names or `other` (bounded cardinality whatever a sender puts there);
/// - `codex_webhook_delivery_duration_seconds` — time from the first byte read to the answer.
public struct WebhookMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let duration: DurationHistogram

    static let events: Set<String> = ["issues", "pull_request", "pull_request_review", "ping"]
    static let actions: Set<String> = ["labeled", "unlabeled", "closed", "submitted", "opened", "edited", "reopened", "synchronize"]

    static var deliveriesName: MetricNameDescriptor { MetricNameDescriptor(namespace: "codex", subsystem: "webhook", metricName: "deliveries",
                                                     unitName: "total", helpText: "GitHub deliveries answered, by event, action and outcome.") }
    static var durationName: MetricNameDescriptor { MetricNameDescriptor(namespace: "codex", subsystem: "webhook", metricName: "delivery_duration",
                                                   unitName: "seconds", helpText: "Time from reading a delivery to answering it.") }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        duration = registry.makeDurationHistogram(descriptor: Self.durationName, buckets: [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ])
    }

    public func observe(event: String?, action: String?, outcome: WebhookAnswer.Outcome, duration: Duration) {
        let e = event.flatMap { Self.events.contains($0) ? $0 : nil } ?? (event == nil ? "none" : "other")
        let a = action.flatMap { Self.actions.contains($0) ? $0 : nil } ?? (action == nil ? "none" : "other")
        registry.makeCounter(descriptor: Self.deliveriesName, labels: [("event", e), ("action", a), ("outcome", outcome.rawValue)]).increment()
        self.duration.record(duration)
    }
}

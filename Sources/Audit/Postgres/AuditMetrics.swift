import Metrics

/// The audit sink's metrics (Prometheus names).
struct AuditMetrics: Sendable {
    /// Oldest unsent writes dropped because the buffer was full (or abandoned at shutdown).
    let dropped: Counter
    /// Writes the database refused as invalid.
    let rejected: Counter
    /// Writes stored.
    let written: Counter
    /// Failed connection attempts and lost connections.
    let connectionFailures: Counter
    /// Writes buffered and not yet stored.
    let pending: Gauge

    init(factory: (any MetricsFactory)?) {
        func counter(_ label: String) -> Counter {
            factory.map { Counter(label: label, factory: $0) } ?? Counter(label: label)
        }
        dropped = counter("codex_k8s_audit_dropped_total")
        rejected = counter("codex_k8s_audit_rejected_total")
        written = counter("codex_k8s_audit_written_total")
        connectionFailures = counter("codex_k8s_audit_connection_failures_total")
        let pendingLabel = "codex_k8s_audit_pending"
        pending = factory.map { Gauge(label: pendingLabel, factory: $0) } ?? Gauge(label: pendingLabel)
    }
}

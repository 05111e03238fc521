import Audit
import TestSupport
import KubeAPI
import Metrics

/// A PostgreSQL sink with fast reconnects, for tests.
func makeSink(_ url: DatabaseURL, capacity: Int = 10_000, maxBatch: Int = 100, logs: LogRecorder = LogRecorder(),
              metrics: (any MetricsFactory)? = nil, applicationName: String = "codex-k8s") -> PostgresAuditSink
{
    PostgresAuditSink(url: url,
                      configuration: .init(bufferCapacity: capacity, maxBatch: maxBatch,
                                           reconnectBackoff: ReconnectBackoff(initial: 0.005, maximum: 0.05),
                                           applicationName: applicationName),
                      logger: logs.logger, metricsFactory: metrics)
}

/// Event `index` of a run: a `run.wait.resumed` whose `waitedSeconds` is the index, so order is checkable.
func numbered(_ index: Int, run: String, repository: String = "o/r") -> AuditRecord {
    AuditRecord(event: .runWaitResumed(wait: .mcp, waitedSeconds: Int64(index)),
                subject: AuditSubject(run: run, repository: repository, issue: 1), actor: "operator")
}

import ArgumentParser
import Audit
import Foundation
import KubeRuntime
import Logging
import Metrics

/// Where `codex-k8s operator` sends its audit events (SPEC §8).
extension OperatorCommand {
    /// The operator's audit sinks: always Kubernetes Events on the AgentRun + JSON log lines
    /// (`KubeEventLogSink`); with a database URL — `--database-url-file FILE`, else the
    /// `CODEX_K8S_DATABASE_URL` environment variable, as `codex-k8s db migrate` and `webhook` read
    /// it — also PostgreSQL (`PostgresAuditSink`: buffered, written from its own thread, the schema
    /// migrated on its first connection). The PostgreSQL sink is returned too, so the caller can
    /// drain it on shutdown. A file that cannot be read or a malformed URL is a `ValidationError`
    /// (the URL's password never appears in it).
    static func auditSinks(recorder: EventRecorder, databaseURLFile: String?,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           metricsFactory: any MetricsFactory, logger: Logger) throws -> (any AuditSink, PostgresAuditSink?) {
        let events = KubeEventLogSink(publisher: RecorderEventPublisher(recorder: recorder), logger: logger)
        let url: DatabaseURL?
        do {
            url = try DatabaseURL.load(file: databaseURLFile, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        guard let url else { return (events, nil) }
        let database = PostgresAuditSink(url: url, configuration: .init(applicationName: "codex-k8s-operator"), logger: logger,
                                         metricsFactory: metricsFactory)
        logger.info("audit events also go to PostgreSQL", metadata: ["database": "\(url)"])
        return (AuditSinks([events, database]), database)
    }
}

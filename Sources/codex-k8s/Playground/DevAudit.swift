import Audit
import Foundation
import Logging
import Metrics
import PostgresTestServer

/// The playground's audit database (SPEC §8): `--database-url URL` (an existing PostgreSQL), or
/// `--audit local` (a throwaway PostgreSQL started here with `initdb` in a temporary directory, on
/// 127.0.0.1 and a free port — needs the PostgreSQL server binaries: `postgres`/`initdb` on PATH
/// or in /usr/lib/postgresql/*/bin), or neither (no database; Events and JSON logs only).
///
/// Contract: with a database, the operator and the webhook write their audit rows through `sink`
/// (schema migrated on its first connection) and the URL is written to `<dir>/database-url`, so
/// `codex-k8s events --database-url-file <dir>/database-url` shows the rows. `stop()` drains the
/// sink (5 s at most), then stops and deletes a local server.
final class DevAudit: Sendable {
    let sink: PostgresAuditSink?
    let urlFile: String?
    private let local: LocalPostgres?

    private init(sink: PostgresAuditSink?, urlFile: String?, local: LocalPostgres?) {
        self.sink = sink
        self.urlFile = urlFile
        self.local = local
    }

    static let off = DevAudit(sink: nil, urlFile: nil, local: nil)

    /// Checks the options and starts what they ask for; a `PlaygroundError` when they are wrong or
    /// a local server cannot start.
    static func start(databaseURL: String?, audit: String?, files: PlaygroundFiles, metricsFactory: any MetricsFactory,
                      logger: Logger) throws -> DevAudit {
        if let audit, audit != "local" { throw PlaygroundError("--audit takes `local`, got \(audit)") }
        if databaseURL != nil && audit != nil { throw PlaygroundError("give either --database-url or --audit local, not both") }
        var local: LocalPostgres?
        let text: String
        if let databaseURL {
            text = databaseURL
        } else if audit != nil {
            do {
                local = try LocalPostgres.start()
            } catch {
                throw PlaygroundError("--audit local: cannot start a local PostgreSQL (\(error)); install the server "
                                      + "(Debian: apt-get install postgresql) or pass --database-url URL")
            }
            text = local!.url()
        } else {
            return .off
        }
        do {
            let url = try DatabaseURL(text)
            try files.write(text, to: files.databaseURL)
            let sink = PostgresAuditSink(url: url, configuration: .init(applicationName: "codex-k8s-dev"), logger: logger,
                                         metricsFactory: metricsFactory)
            return DevAudit(sink: sink, urlFile: files.databaseURL, local: local)
        } catch {
            local?.stop()
            throw PlaygroundError("--database-url: \(error)")
        }
    }

    /// Drains the sink, then stops a local server.
    func stop(logger: Logger) async {
        if let sink, await sink.shutdown(timeout: .seconds(5)) > 0 {
            logger.warning("audit writes not stored in PostgreSQL before the deadline", metadata: ["database": "\(sink.url)"])
        }
        local?.stop()
    }
}

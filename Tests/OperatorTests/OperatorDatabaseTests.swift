import Foundation
import KubeAPI
import KubeClient
import PostgresTestServer
import Runs
import TestSupport
import Testing

/// `codex-k8s operator` with `CODEX_K8S_DATABASE_URL` (and `--database-url-file`): its audit
/// events land in a real PostgreSQL (PostgresTestServer) — the schema migrated by the operator
/// itself, the run's `run.*` events in `flow_events` in the order emitted, its snapshot in `agent_runs`.
@Suite(.serialized) struct OperatorDatabaseTests {
    /// Blocking work (initdb, pg_ctl, libpq) off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` with a fresh database on a throwaway server; always stops the server.
    static func withDatabase(_ body: (LocalPostgres, String) async throws -> Void) async throws {
        let postgres = try await onThread { try LocalPostgres.start() }
        do {
            let name = try await onThread { try postgres.createDatabase() }
            try await body(postgres, name)
        } catch {
            _ = try? await onThread { postgres.stop() }
            throw error
        }
        _ = try? await onThread { postgres.stop() }
    }

    /// Starts `codex-k8s operator` on the harness's cluster with `arguments` and `environment` added,
    /// takes one run to Running, stops the operator with SIGTERM and returns the run's name.
    static func runOnce(_ h: OperatorHarness, name: String, arguments: [String] = [],
                        environment: [String: String]) async throws -> String {
        let config = h.directory.appendingPathComponent("operator.yaml")
        try "controlNamespace: \(h.config.controlNamespace)\nnamespacePrefix: \(h.config.namespacePrefix)\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let child = try ChildProcess(codexK8s: ["operator", "--config", config.path, "--kubeconfig", h.kubeconfigPath,
                                                "--metrics-bind", "127.0.0.1:0", "--identity", "op-\(h.suffix)"] + arguments,
                                     environment: environment)
        defer { child.kill() }
        _ = try #require(await child.line(containing: "serving /healthz"))
        try await h.createRun(name)
        let admitted = try await h.waitForPhase(name, .provisioning)
        try await h.podRunning(admitted)
        _ = try await h.waitForPhase(name, .running)
        child.terminate() // SIGTERM: the sink drains before the process exits
        #expect(await child.exitStatus() == 0, "\((try? String(contentsOf: child.stderr, encoding: .utf8)) ?? "")")
        return name
    }

    static func events(_ postgres: LocalPostgres, _ database: String, run: String) async throws -> [String] {
        try await onThread {
            try postgres.query("SELECT event FROM flow_events WHERE run = '\(run)' ORDER BY id", database: database)
        }.compactMap { $0.first ?? nil }
    }

    @Test func auditEventsOfARunGoToPostgreSQLFromTheEnvironmentURL() async throws {
        try await Self.withDatabase { postgres, database in
            try await OperatorHarness.with { h in
                let run = try await Self.runOnce(h, name: "db-1",
                                                 environment: ["CODEX_K8S_DATABASE_URL": postgres.url(database: database)])
                let events = try await Self.events(postgres, database, run: run)
                #expect(events == ["run.namespace.prepared", "run.started"], "\(events)")
                let snapshot = try await Self.onThread {
                    try postgres.query("SELECT phase, repository, issue, namespace FROM agent_runs WHERE name = '\(run)'", database: database)
                }
                #expect(snapshot.first?[0] == "Running", "\(snapshot)")
                #expect(snapshot.first?[1] == "acme/shop" && snapshot.first?[2] == "42", "\(snapshot)")
                #expect(snapshot.first?[3]?.hasPrefix(h.config.namespacePrefix + "-") == true, "\(snapshot)")
            }
        }
    }

    @Test func theURLCanComeFromAFile() async throws {
        try await Self.withDatabase { postgres, database in
            try await OperatorHarness.with { h in
                let file = h.directory.appendingPathComponent("database-url")
                try (postgres.url(database: database) + "\n").write(to: file, atomically: true, encoding: .utf8)
                let run = try await Self.runOnce(h, name: "db-2", arguments: ["--database-url-file", file.path],
                                                 environment: ["CODEX_K8S_DATABASE_URL": ""])
                #expect(try await Self.events(postgres, database, run: run) == ["run.namespace.prepared", "run.started"])
            }
        }
    }
}

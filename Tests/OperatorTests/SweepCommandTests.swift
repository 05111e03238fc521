import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import MetricsTestKit
import Operator
import Runs
import TestSupport
import Testing

/// `codex-k8s sweep` as a child process (the real binary, real clock) and the operator's periodic
/// sweep (`SweepService`, leader-only, injected clock). Run unchanged on a real cluster; the
/// request-log checks only in memory.
@Suite(.serialized) struct SweepCommandTests {
    /// The test's prefix and control namespace as a config file for the binary.
    static func configFile(_ h: OperatorHarness) throws -> String {
        let path = h.directory.appendingPathComponent("config.yaml").path
        try "controlNamespace: \(h.config.controlNamespace)\nnamespacePrefix: \(h.config.namespacePrefix)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func dryRunPrintsThePlanAndWritesNothingThenTheSweepDoesIt() async throws {
        try await OperatorHarness.with { h in
            // Due on the real clock: an ended lease and a run finished eight days ago; an orphan within its grace.
            let now = KubeTime(Date())
            let expired = "\(h.config.namespacePrefix)-acme-shop-42-dev-dry001"
            try await SweepTests.runNamespace(h, expired)
            try await SweepTests.leasedRecord(h, expired, lease: now.adding(seconds: -60))
            let young = "\(h.config.namespacePrefix)-acme-shop-43-dev-dry002"
            try await SweepTests.runNamespace(h, young)
            try await SweepTests.finishedRun(h, "old-run", finishedAt: now.adding(seconds: -8 * 86_400))
            let args = ["sweep", "--kubeconfig", h.kubeconfigPath, "--config", try Self.configFile(h)]

            let mark = h.server?.requests.all.count ?? 0
            let dry = try await Command.run(Command.codexK8s, args + ["--dry-run", "-o", "json"])
            #expect(dry.status == 0, "\(dry.err)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(dry.out.utf8)) as? [String: Any], "\(dry.out)")
            let items = try #require(doc["items"] as? [[String: Any]])
            let summary = items.map { "\($0["name"] as? String ?? ""):\($0["action"] as? String ?? ""):\($0["result"] as? String ?? "")" }
            #expect(summary == ["old-run:delete:planned", "\(expired):expire:planned", "\(young):skip:planned"])
            #expect(doc["dryRun"] as? Bool == true)
            if let server = h.server {
                // Lists only: one paginated LIST per kind, not a single write (nor even a GET).
                let verbs = Set(server.requests.all[mark...].map(\.verb))
                #expect(verbs == ["list"], "\(verbs)")
            }
            #expect(try await SweepTests.namespace(h, expired)?.metadata.deletionTimestamp == nil)
            #expect(try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items.count == 1)

            // The table: namespace, reason, age, lease, action.
            let table = try await Command.run(Command.codexK8s, args + ["--dry-run"])
            let lines = table.out.split(separator: "\n").map(String.init)
            #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAMESPACE", "REASON", "AGE", "LEASE", "ACTION"])
            #expect(lines.contains { $0.hasPrefix("agentrun/old-run") && $0.contains("finished_run") && $0.contains("8d") })
            #expect(lines.contains { $0.hasPrefix(young) && $0.contains("skip:orphan_grace") })
            #expect(lines.last == "(dry run: nothing was written)")

            let real = try await Command.run(Command.codexK8s, args + ["-o", "wide"])
            #expect(real.status == 0, "\(real.err)")
            #expect(real.out.contains("RESULT") && !real.out.contains("dry run"))
            #expect(try await SweepTests.deleted(h, expired))
            #expect(try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items.isEmpty)
            #expect(try await SweepTests.namespace(h, young)?.metadata.deletionTimestamp == nil)
        }
    }

    @Test func badOutputFormatIsRefused() async throws {
        let r = try await Command.run(Command.codexK8s, ["sweep", "-o", "yaml"])
        #expect(r.status != 0 && r.err.contains("--output must be one of table, wide, json"), "\(r.err)")
    }

    @Test func theOperatorSweepsOnItsIntervalFromItsCachesAndStopsOnShutDown() async throws {
        try await OperatorHarness.with { h in
            // The harness clock is years past the server's: any orphan is past its grace.
            let orphan = "\(h.config.namespacePrefix)-acme-shop-44-dev-op0001"
            try await SweepTests.runNamespace(h, orphan)
            let leases = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: h.clock.closure,
                                               logger: OperatorHarness.quiet)
            let metrics = TestMetrics()
            let (reports, sweptOnce) = AsyncStream<SweepReport>.makeStream()
            let service = SweepService(leases: leases, audit: h.audit, metricsFactory: metrics, wallClock: h.clock.closure,
                                       logger: OperatorHarness.quiet, onSweep: { sweptOnce.yield($0) })
            let caches = Task { await leases.controller.run() }
            let sweeping = Task { await service.runWorkers() }
            var first: SweepReport?
            for await report in reports {
                first = report
                break
            }
            #expect(first?.outcomes.map { "\($0.item.name):\($0.item.action.rawValue)" } == ["\(orphan):delete"])
            #expect(try await SweepTests.deleted(h, orphan))
            #expect(try metrics.expectGauge("codex_sweep_last_success_timestamp_seconds").lastValue == h.clock.now.timeIntervalSince1970)
            #expect(try metrics.expectCounter("codex_sweep_deletions_total", [("reason", "orphaned")]).totalValue == 1)
            #expect(try metrics.expectGauge("codex_runnamespaces", [("phase", "Active")]).lastValue == 0)
            #expect(try metrics.expectTimer("codex_sweep_duration_seconds").values.count >= 1)
            service.shutDown() // ends the interval's wait at once (interval: 5m)
            await sweeping.value
            caches.cancel()
            await caches.value
        }
    }
}

import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import MetricsTestKit
import Operator
import Runs
import Synchronization
import TestSupport
import Testing

/// Keeps every audit record the sweep emits.
final class SweepAudit: AuditSink {
    private let records = Mutex<[AuditRecord]>([])
    func record(_ record: AuditRecord) { records.withLock { $0.append(record) } }
    func recordRun(_ run: AgentRunRecord) {}
    func recordDelivery(_ delivery: WebhookDeliveryRecord) {}
    var names: [String] { records.withLock { $0.map(\.event.name.rawValue) } }
}

/// The sweeper over HTTP (SPEC §6) with an injected clock: orphans go after `orphanGrace` and not
/// before, a namespace held by a finalizer is reported and never forced, ended leases go through
/// the expiry path, old finished AgentRuns are deleted, and the operator sweeps while it leads.
/// Runs unchanged on a real cluster (`CODEX_K8S_TEST_KUBECONFIG`); request-log checks only in memory.
@Suite(.serialized) struct SweepTests {
    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete", "deletecollection"]

    static func sweep(_ h: OperatorHarness, audit: any AuditSink = SweepAudit(), dryRun: Bool = false,
                      metrics: SweepMetrics? = nil) async throws -> SweepReport {
        try await Sweeper.once(client: h.client, config: h.config, audit: audit, dryRun: dryRun, metrics: metrics,
                               wallClock: h.clock.closure, logger: OperatorHarness.quiet)
    }

    /// A run namespace as the AgentRun reconciler creates it (labels and annotations of SPEC §6).
    @discardableResult
    static func runNamespace(_ h: OperatorHarness, _ name: String, labels: [String: String]? = nil) async throws -> Namespace {
        try await h.client.create(Namespace(metadata: ObjectMeta(
            name: name, labels: labels ?? WellKnown.namespaceLabels(issue: 42, stage: .dev, mode: .fullEnv),
            annotations: [WellKnown.repositoryAnnotation: "acme/shop",
                          WellKnown.leaseExpiresAtAnnotation: KubeTime(h.clock.now).adding(seconds: 86_400).rfc3339])))
    }

    static func setClock(_ h: OperatorHarness, to t: KubeTime) {
        h.clock.advance(seconds: t.secondsSince1970 - KubeTime(h.clock.now).secondsSince1970)
    }

    static func namespace(_ h: OperatorHarness, _ name: String) async throws -> Namespace? {
        do { return try await h.client.get(Namespace.self, name: name) } catch where error.isNotFound { return nil }
    }

    /// Gone, or deleting (a real cluster's namespace controller takes a moment).
    static func deleted(_ h: OperatorHarness, _ name: String) async throws -> Bool {
        try await namespace(h, name).map { $0.metadata.deletionTimestamp != nil } ?? true
    }

    @Test func anOrphanFromACrashBetweenTheCreatesGoesAfterTheGraceAndNotBefore() async throws {
        try await OperatorHarness.with { h in
            // The crash: the Namespace was created, its RunNamespace never was.
            let orphan = "\(h.config.namespacePrefix)-acme-shop-42-dev-0a0b0c"
            let created = try #require(try await Self.runNamespace(h, orphan).metadata.creationTimestamp)
            // Never in scope: only one of the two labels.
            let foreign = "\(h.config.namespacePrefix)-foreign"
            try await Self.runNamespace(h, foreign, labels: [WellKnown.managedByLabel: WellKnown.managedByValue])
            let grace = Double(h.config.sweep.orphanGrace.seconds)

            Self.setClock(h, to: created.adding(seconds: grace - 1))
            let early = try await Self.sweep(h)
            #expect(early.outcomes.map(\.item.name) == [orphan])
            #expect(early.outcomes.first?.item.skip == .orphanGrace)
            #expect(early.outcomes.first?.item.due == created.adding(seconds: grace))
            #expect(try await Self.namespace(h, orphan)?.metadata.deletionTimestamp == nil)

            Self.setClock(h, to: created.adding(seconds: grace))
            let mark = h.server?.requests.all.count ?? 0
            let due = try await Self.sweep(h)
            #expect(due.outcomes.map(\.item.action) == [.delete])
            #expect(due.outcomes.first?.result == .done)
            #expect(try await Self.deleted(h, orphan))
            #expect(try await Self.namespace(h, foreign)?.metadata.deletionTimestamp == nil)
            if let server = h.server {
                // Re-checked against the API (the RunNamespace is really missing) right before the delete.
                let log = Array(server.requests.all[mark...])
                let delete = try #require(log.firstIndex { $0.verb == "delete" && $0.resource == "namespaces" && $0.name == orphan })
                #expect(log[..<delete].contains { $0.verb == "get" && $0.resource.hasPrefix("runnamespaces") && $0.name == orphan && $0.code == 404 })
                #expect(log.filter { Self.writeVerbs.contains($0.verb) }.count == 1)
            }
        }
    }

    @Test func aNamespaceHeldByAFinalizerIsReportedNotForced() async throws {
        try await OperatorHarness.with { h in
            let name = "\(h.config.namespacePrefix)-acme-shop-42-dev-held01"
            try await Self.runNamespace(h, name)
            let hold = "codex-k8s.dev/test-hold"
            _ = try await h.client.create(ServiceAccount(metadata: ObjectMeta(name: "held", namespace: name, finalizers: [hold])))
            do {
                try await h.client.delete(Namespace.self, name: name)
                try await h.waitUntil("namespace \(name) reports its remaining finalizers", watching: Namespace.self) {
                    let ns = try await Self.namespace(h, name)
                    return ns?.status?.conditions?.contains { $0.type == "NamespaceFinalizersRemaining" && $0.status == "True" } == true
                }
                let metrics = TestMetrics()
                let audit = SweepAudit()
                let mark = h.server?.requests.all.count ?? 0
                let report = try await Self.sweep(h, audit: audit, metrics: SweepMetrics(factory: metrics))
                let item = try #require(report.outcomes.first { $0.item.name == name }?.item)
                #expect(item.reason == .terminating && item.action == .report)
                #expect(item.detail.contains("NamespaceFinalizersRemaining") && item.detail.contains(hold), "\(item.detail)")
                #expect(audit.names == ["run.namespace.cleanup_failed"])
                #expect(try metrics.expectCounter("codex_sweep_skips_total", [("reason", "stuck_terminating")]).totalValue == 1)
                #expect(try metrics.expectGauge("codex_sweep_terminating_namespaces").lastValue == 1)
                // Never forced: the finalizer stays, nothing is written.
                let held = try await h.client.get(ServiceAccount.self, namespace: name, name: "held")
                #expect(held.metadata.finalizers == [hold])
                if let server = h.server {
                    #expect(!server.requests.all[mark...].contains { Self.writeVerbs.contains($0.verb) })
                }
            } catch {
                _ = try? await h.client.patch(ServiceAccount.self, namespace: name, name: "held", .merge(["metadata": ["finalizers": .null]]))
                throw error
            }
            _ = try await h.client.patch(ServiceAccount.self, namespace: name, name: "held", .merge(["metadata": ["finalizers": .null]]))
        }
    }

    /// A RunNamespace (status as the AgentRun reconciler writes it) whose lease ended at `lease`.
    static func leasedRecord(_ h: OperatorHarness, _ name: String, lease: KubeTime) async throws {
        let rns = try await h.client.create(RunNamespace(
            metadata: ObjectMeta(name: name, labels: [WellKnown.managedByLabel: WellKnown.managedByValue]),
            spec: RunNamespaceSpec(repository: "acme/shop", issue: 42, stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(24))))
        var withStatus = rns
        withStatus.status = RunNamespaceStatus(phase: .active, leaseExpiresAt: lease, leaseRenewedAt: lease.adding(seconds: -86_400),
                                               renewals: 0, activeRuns: [], lastRun: "gone-run")
        _ = try await h.client.replaceStatus(withStatus)
    }

    /// A finished AgentRun (no finalizer: no operator runs here).
    static func finishedRun(_ h: OperatorHarness, _ name: String, finishedAt: KubeTime) async throws {
        let run = try await h.createRun(name)
        var done = run
        done.status = AgentRunStatus(phase: .succeeded, reason: .completed, finishedAt: finishedAt)
        _ = try await h.client.replaceStatus(done)
    }

    @Test func anEndedLeaseGoesThroughTheExpiryPathAndOldFinishedRunsAreDeleted() async throws {
        try await OperatorHarness.with { h in
            let now = KubeTime(h.clock.now)
            let name = "\(h.config.namespacePrefix)-acme-shop-42-dev-exp001"
            try await Self.runNamespace(h, name)
            try await Self.leasedRecord(h, name, lease: now.adding(seconds: -1))
            let retention = Double(h.config.sweep.finishedRunRetention.seconds)
            try await Self.finishedRun(h, "old-1", finishedAt: now.adding(seconds: -retention))
            try await Self.finishedRun(h, "young-1", finishedAt: now.adding(seconds: -retention + 1))

            let mark = h.server?.requests.all.count ?? 0
            let report = try await Self.sweep(h)
            #expect(report.outcomes.map { "\($0.item.kind.rawValue)/\($0.item.name):\($0.item.action.rawValue)" }
                    == ["AgentRun/old-1:delete", "Namespace/\(name):expire"])
            #expect(report.succeeded)
            #expect(try await Self.deleted(h, name))
            #expect(try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items.map { $0.metadata.name } == ["young-1"])
            if let server = h.server {
                // The expiry path: re-read, conditional claim (Expired), then the Namespace delete.
                let log = Array(server.requests.all[mark...])
                let claim = try #require(log.firstIndex { $0.verb == "update" && $0.subresource == "status" && $0.name == name })
                let delete = try #require(log.firstIndex { $0.verb == "delete" && $0.resource == "namespaces" && $0.name == name })
                #expect(log[..<claim].contains { $0.verb == "get" && $0.resource.hasPrefix("runnamespaces") && $0.name == name })
                #expect(claim < delete)
            }
            // Once the Namespace is gone, a later sweep finishes the expiry: the RunNamespace goes too.
            try await h.waitUntil("namespace \(name) gone", watching: Namespace.self) { try await Self.namespace(h, name) == nil }
            _ = try await Self.sweep(h)
            let records = try await h.client.list(RunNamespace.self).items.compactMap(\.metadata.name)
            #expect(!records.contains(name))
        }
    }
}

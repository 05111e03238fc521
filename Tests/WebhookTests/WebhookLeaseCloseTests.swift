import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Operator
import Runs
import Synchronization
import Testing
import Webhook
import YAML

/// `issues/closed` and `pull_request/closed` end the namespace leases of the issue after
/// `closeGrace` (SPEC §4, §6), end to end: a signed delivery to the adapter, the operator and the
/// lease controller on the same KubeTestServer, one injected clock for all three.
@Suite(.serialized) struct WebhookLeaseCloseTests {
    final class Clock: Sendable {
        private let date = Mutex(Date(timeIntervalSince1970: 1_900_000_000))
        var now: Date { date.withLock { $0 } }
        func advance(seconds: Double) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var closure: @Sendable () -> Date { { self.now } }
    }

    /// The operator and the lease controller of the harness's control namespace, with `clock`.
    struct Operators {
        let leases: NamespaceLeaseRuntime
        let tasks: [Task<Void, Never>]

        static func start(_ h: WebhookHarness, clock: Clock) async throws -> Operators {
            for doc in try YAMLNode.parseDocuments(Array(EmbeddedManifests.agentClusterRoles.utf8)) {
                _ = try await h.client.create(ClusterRole.resource, try doc.jsonValue())
            }
            _ = try await h.client.create(Secret(metadata: ObjectMeta(name: "codex-agent-credentials", namespace: WebhookHarness.namespace),
                                                 type: "Opaque", data: ["openai-api-key": "c2stdGVzdA==", "github-token": "Z2hwX3Rlc3Q="]))
            var config = OperatorConfig.defaults
            config.controlNamespace = WebhookHarness.namespace
            let op = OperatorRuntime(client: h.client, config: config, audit: h.audit, wallClock: clock.closure, logger: WebhookHarness.quiet)
            let leases = NamespaceLeaseRuntime(client: h.client, config: config, audit: h.audit, wallClock: clock.closure,
                                               logger: WebhookHarness.quiet)
            return Operators(leases: leases, tasks: [Task { await op.controller.run() }, Task { await leases.controller.run() }])
        }

        func stop() async {
            for t in tasks { t.cancel() }
            for t in tasks { await t.value }
        }
    }

    /// Waits until `check` (reading the API) holds, re-checking on every watch event of `T` — the
    /// harness's `waitForCache` follows only the AgentRun cache. Up to 120 s.
    static func waitUntil<T: KubeResource>(_ h: WebhookHarness, _ what: String, watching: T.Type,
                                            _ check: @escaping () async throws -> Bool) async throws {
        if try await check() { return }
        let list = try await h.client.list(T.self)
        if try await check() { return }
        let events = h.client.watch(T.self, options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 120))
        for try await _ in events { if try await check() { return } }
        if try await check() { return }
        throw WebhookHarness.HarnessError.timeout(what)
    }

    static func run(_ h: WebhookHarness, _ name: String) async throws -> AgentRun {
        try await h.client.get(AgentRun.self, namespace: WebhookHarness.namespace, name: name)
    }

    static func runNamespace(_ h: WebhookHarness, _ name: String) async throws -> RunNamespace? {
        do { return try await h.client.get(RunNamespace.self, name: name) } catch where error.isNotFound { return nil }
    }

    /// Delivers `trigger`, waits for the run's namespace; delivers `close` later, then checks that
    /// the run was cancelled, the close recorded, and the lease ends closeGrace (30m) after it.
    static func closeEndsTheLease(trigger: (String, JSONValue), close: (String, JSONValue)) async throws {
        let clock = Clock()
        try await WebhookHarness.with(wallClock: clock.closure) { h in
            let ops = try await Operators.start(h, clock: clock)
            do {
                try await body(h, ops)
            } catch {
                await ops.stop() // no controller may outlive the server (its watches would retry forever)
                throw error
            }
            await ops.stop()
        }

        @Sendable func body(_ h: WebhookHarness, _ ops: Operators) async throws {
            let created = try await h.deliver(trigger.0, trigger.1)
            #expect(created.code == 202, "\(created)")
            let name = try #require(created.run)
            try await h.waitForCache("run \(name) placed") { try await run(h, name).status?.namespace != nil }
            let ns = try #require(try await run(h, name).status?.namespace)

            clock.advance(seconds: 600)
            let closedAt = KubeTime(clock.now)
            let closed = try await h.deliver(close.0, close.1)
            #expect(closed.code == 202 && closed.json["runs"] == [.string(name)], "\(closed)")
            try await h.waitForCache("run \(name) cancelled") { try await run(h, name).status?.phase == .cancelled }
            let annotations = try await run(h, name).metadata.annotations
            #expect(annotations?[IssueClosure.closedAtAnnotation] == closedAt.rfc3339 && annotations?[IssueClosure.graceAnnotation] == "30m")
            let end = closedAt.adding(seconds: 30 * 60)
            try await waitUntil(h, "lease of \(ns) ends at \(end)", watching: RunNamespace.self) {
                try await runNamespace(h, ns)?.status?.leaseExpiresAt == end
            }
            try await waitUntil(h, "lease annotation of \(ns)", watching: Namespace.self) {
                try await h.client.get(Namespace.self, name: ns).metadata.annotations?[RunLabels.leaseAnnotation] == end.rfc3339
            }

            // A redelivered close (a new delivery id, later) records nothing new.
            clock.advance(seconds: 60)
            let again = try await h.deliver(close.0, close.1)
            #expect(again.code == 200 || again.code == 202, "\(again)")
            #expect(try await run(h, name).metadata.annotations?[IssueClosure.closedAtAnnotation] == closedAt.rfc3339)

            // closeGrace after the close, the namespace goes.
            clock.advance(seconds: 30 * 60 - 60)
            ops.leases.requeueAll()
            try await waitUntil(h, "namespace \(ns) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = (try? await h.client.get(Namespace.self, name: ns)) == nil
                let recordGone = try await runNamespace(h, ns) == nil
                return gone && recordGone
            }
        }
    }

    @Test func closingAnIssueEndsItsNamespaceLeasesCloseGraceLater() async throws {
        try await Self.closeEndsTheLease(trigger: ("issues", GitHubPayloads.issues("labeled", issue: 42, label: "run:dev")),
                                         close: ("issues", GitHubPayloads.issues("closed", issue: 42)))
    }

    @Test func closingAPullRequestEndsTheLeasesOfTheIssueItCloses() async throws {
        try await Self.closeEndsTheLease(
            trigger: ("pull_request", GitHubPayloads.pullRequestEvent("labeled", number: 9, label: "run:qa", body: "fixes #44")),
            close: ("pull_request", GitHubPayloads.pullRequestEvent("closed", number: 9, body: "fixes #44")))
    }
}

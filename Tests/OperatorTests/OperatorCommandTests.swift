import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI
import KubeClient
import Operator
import Runs
import TestSupport
import Testing

/// `codex-k8s operator` as a process: the self-check refusal, then leader election, the HTTP
/// endpoints, reconciling, and a graceful SIGTERM.
@Suite(.serialized) struct OperatorCommandTests {
    static func get(_ port: Int, _ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: SecurityTests.inMemory)) func refusesToStartNamingTheOffendingRule() async throws {
        try await OperatorHarness.with { h in
            var role = try await h.client.get(ClusterRole.self, name: AgentClusterRoles.codeOnly)
            role.rules = (role.rules ?? []) + [PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["list"])]
            _ = try await h.client.replace(role)
            let child = try ChildProcess(codexK8s: ["operator", "--kubeconfig", h.kubeconfigPath, "--namespace", h.config.controlNamespace,
                                   "--metrics-bind", "127.0.0.1:0"])
            defer { child.kill() }
            #expect(await child.exitStatus() == 1)
            let err = try String(contentsOf: child.stderr, encoding: .utf8)
            #expect(err.contains("refusing to start: ClusterRole codex-k8s-agent-code-only: rules[3]: grants \"list\" on secrets"), "\(err)")
        }
    }

    @Test func anUnknownKubeTransportIsRefusedNamingTheChoices() async throws {
        let child = try ChildProcess(codexK8s: ["operator", "--kube-transport", "http3", "--kubeconfig", "/nonexistent"])
        defer { child.kill() }
        #expect(await child.exitStatus() == 64)
        let err = try String(contentsOf: child.stderr, encoding: .utf8)
        #expect(err.contains("http3") && err.contains("automatic") && err.contains("curl"), "\(err)")
    }

    @Test func leadsServesHealthReconcilesAndStopsGracefullyOnSIGTERM() async throws {
        try await OperatorHarness.with { h in
            let child = try ChildProcess(codexK8s: ["operator", "--kubeconfig", h.kubeconfigPath, "--namespace", h.config.controlNamespace,
                                   "--metrics-bind", "127.0.0.1:0", "--identity", "op-\(h.suffix)"])
            defer { child.kill() }
            let serving = try #require(await child.line(containing: "serving /healthz"))
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(serving.utf8)) as? [String: Any])
            let port = try #require((fields["port"] as? String).flatMap(Int.init), "\(serving)")
            let healthz = try await Self.get(port, "/healthz")
            #expect(healthz.0 == 200)
            // The HTTP server has one event-loop thread of its own; NIO's per-core group never starts.
            let nio = try ThreadNames.of("\(child.pid)").filter { $0.hasPrefix("NIO-") }
            #expect(nio.count == 1 && nio.allSatisfy { $0.hasPrefix("NIO-ELT-") }, "\(nio)")
            // The API server is reached through the HTTP/2 client by default.
            #expect(try ThreadNames.of("\(child.pid)").contains("kube-h2-loop"))
            try await h.createRun("cli-1")
            _ = try await h.waitForPhase("cli-1", .provisioning)
            let lease = try await h.client.get(Lease.self, namespace: h.config.controlNamespace, name: "codex-k8s-operator")
            #expect(lease.spec?.holderIdentity == "op-\(h.suffix)")
            #expect(try await Self.get(port, "/readyz").0 == 200)
            let metrics = try await Self.get(port, "/metrics").1
            // Gauges are sampled after each reconcile; their values are checked only for presence here.
            for family in ["codex_agentruns{phase=\"Provisioning\"}", "codex_slots_used", "codex_slots_max 20",
                           "controller_reconcile_time_seconds", "workqueue_depth"] {
                #expect(metrics.contains(family), "\(family) missing from /metrics")
            }
            child.terminate() // SIGTERM
            #expect(await child.exitStatus() == 0)
            let released = try await h.client.get(Lease.self, namespace: h.config.controlNamespace, name: "codex-k8s-operator")
            #expect(released.spec?.holderIdentity == nil || released.spec?.holderIdentity == "")
        }
    }
}

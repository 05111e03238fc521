import TestSupport
import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import Testing

/// The CRDs of CRDs/, installed over HTTP: valid samples are accepted (with defaults), each
/// invalid field is rejected with its path, and the CEL transition rules hold on update.
/// Runs unchanged against a real cluster when CODEX_K8S_TEST_KUBECONFIG is set.
@Suite(.serialized) struct CRDValidationTests {
    typealias T = CRDTarget

    @Test func validAgentRunsAreAcceptedWithDefaults() async throws {
        try await T.with { t in
            let minimal = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun("minimal"))
            #expect(minimal["spec"] == ["repository": "acme/shop", "issue": 42, "stage": "dev", "revise": false, "debug": false, "cancel": false])
            // Every field set, through the typed model.
            var run = try JSONValue(parsing: Array(#"""
            {"spec": {"repository": "Acme-Org/shop.api_v2", "issue": 7, "pullRequest": 8, "stage": "qa", "revise": true,
              "mode": "code-only", "model": "gpt-5-codex", "reasoning": "extra-high", "debug": true, "timeout": "1h30m",
              "labels": [{"name": "run:qa:revise", "scope": "pullRequest"}, {"name": "[ai-model-gpt-5-codex]", "scope": "issue"}],
              "agent": {"image": "ghcr.io/acme/agent:1", "command": ["codex"], "args": ["exec"], "env": [{"name": "HTTP_PROXY", "value": "p"}],
                        "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": 2}}},
              "cancel": false,
              "trigger": {"source": "github", "deliveryID": "72d3162e", "event": "pull_request_review", "action": "submitted",
                          "sender": "octocat", "receivedAt": "2026-01-02T03:04:05Z"}}}
            """#.utf8))
            run.set(path: ["apiVersion"], to: .string(t.agentRuns.apiVersion))
            run.set(path: ["kind"], to: "AgentRun")
            run.set(path: ["metadata"], to: ["name": "full", "namespace": .string(t.namespace)])
            let created = try await t.client.create(t.agentRuns, namespace: t.namespace, run)
            #expect(created["spec"] == run["spec"], "nothing pruned or changed")
            let status: JSONValue = ["phase": "Running", "reason": "WaitingForSlot", "model": "gpt-5-codex", "reasoning": "high",
                                     "profileSource": ["model": "issue", "reasoning": "default"], "mode": "code-only",
                                     "namespace": "codex-acme-shop-7-qa-abcdef", "runNamespace": "codex-acme-shop-7-qa-abcdef",
                                     "jobName": "agent", "reusedNamespace": true, "leaseExpiresAt": "2026-01-03T03:04:05Z",
                                     "startedAt": "2026-01-02T03:04:05Z", "waitedSeconds": 3, "observedGeneration": 1,
                                     "conditions": [["type": "Ready", "status": "True", "reason": "Running", "message": "",
                                                     "lastTransitionTime": "2026-01-02T03:04:05Z"]]]
            let withStatus = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "full", .merge(["status": status]),
                                                      subresource: "status")
            #expect(withStatus["status"] == status)
            // The typed model reads what the server stored.
            let typed = try JSONValueDecoder().decode(AgentRun.self, from: try await t.client.get(t.agentRuns, namespace: t.namespace, name: "full"))
            #expect(typed.spec.stage == .qa && typed.spec.timeout == .minutes(90) && typed.status?.profileSource?.model == .issue)
            let badStatus = await T.invalidFields {
                _ = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "full", .merge(["status": ["phase": "Done"]]),
                                             subresource: "status")
            }
            #expect(badStatus?.contains("status.phase") == true, "\(String(describing: badStatus))")
        }
    }

    /// (what is wrong, the change to a valid spec, the field the apiserver names)
    static let invalidSpecs: [(String, JSONValue, String)] = [
        ("repository pattern", ["repository": "not a repo"], "spec.repository"),
        ("issue minimum", ["issue": 0], "spec.issue"),
        ("pullRequest minimum", ["pullRequest": 0], "spec.pullRequest"),
        ("stage enum", ["stage": "deploy"], "spec.stage"),
        ("mode enum", ["mode": "full"], "spec.mode"),
        ("model pattern", ["model": "GPT 5"], "spec.model"),
        ("reasoning enum", ["reasoning": "ultra"], "spec.reasoning"),
        ("label scope", ["labels": [["name": "run:dev", "scope": "repo"]]], "spec.labels[0].scope"),
        ("timeout pattern", ["timeout": "5 minutes"], "spec.timeout"),
        ("env name pattern", ["agent": ["env": [["name": "1X", "value": "v"]]]], "spec.agent.env[0].name"),
        ("trigger source", ["trigger": ["source": "gitlab"]], "spec.trigger.source"),
        ("revise with rethink (CEL)", ["stage": "rethink", "revise": true], "spec.revise"),
        ("revise with ai-repair (CEL)", ["stage": "ai-repair", "revise": true], "spec.revise"),
        ("reserved env (CEL)", ["agent": ["env": [["name": "CODEX_RUN", "value": "v"]]]], "spec.agent.env[0].name"),
    ]

    @Test func eachInvalidFieldIsRejectedWithItsPath() async throws {
        try await T.with { t in
            for (i, row) in Self.invalidSpecs.enumerated() {
                var spec: JSONValue = ["repository": "acme/shop", "issue": 42, "stage": "dev"]
                for (k, v) in row.1.objectValue! { spec[k] = v }
                let fields = await T.invalidFields { _ = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun("bad-\(i)", spec: spec)) }
                #expect(fields?.contains(row.2) == true, "\(row.0): \(String(describing: fields))")
            }
            let missing = await T.invalidFields {
                _ = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun("missing", spec: ["issue": 1, "stage": "dev"]))
            }
            #expect(missing?.contains("spec.repository") == true, "\(String(describing: missing))")
            let longName = await T.invalidFields {
                _ = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun(String(repeating: "a", count: 64)))
            }
            #expect(longName?.contains("metadata.name") == true, "\(String(describing: longName))")
        }
    }

    @Test func transitionRules() async throws {
        try await T.with { t in
            _ = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun("r"))
            let changes: [(JSONValue, String)] = [
                (["repository": "acme/other"], "spec.repository"), (["issue": 43], "spec.issue"), (["stage": "qa"], "spec.stage"),
                (["revise": true], "spec.revise"),
            ]
            for (change, field) in changes {
                let fields = await T.invalidFields {
                    _ = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "r", .merge(["spec": change]))
                }
                #expect(fields?.contains(field) == true, "\(change): \(String(describing: fields))")
            }
            let cancelled = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "r", .merge(["spec": ["cancel": true, "debug": true]]))
            #expect(cancelled[path: ["spec", "cancel"]] == true, "mutable fields change")
            let unset = await T.invalidFields {
                _ = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "r", .merge(["spec": ["cancel": false]]))
            }
            #expect(unset?.contains("spec.cancel") == true, "\(String(describing: unset))")
            let removed = await T.invalidFields {
                _ = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "r", .json([.remove(path: "/spec/cancel")]))
            }
            #expect(removed?.contains("spec.cancel") == true, "\(String(describing: removed))")
        }
    }

    @Test func runNamespaces() async throws {
        try await T.with { t in
            let ok = try await t.client.create(t.runNamespaces, t.runNamespace("codex-acme-shop-42-dev-abcdef"))
            #expect(ok[path: ["spec", "retain"]] == false, "default")
            let status: JSONValue = ["phase": "Active", "leaseExpiresAt": "2026-01-03T03:04:05Z", "leaseRenewedAt": "2026-01-02T03:04:05Z",
                                     "renewals": 1, "activeRuns": ["r1"], "lastRun": "r1"]
            let name = ok[path: ["metadata", "name"]]!.stringValue!
            let patched = try await t.client.patch(t.runNamespaces, name: name, .merge(["status": status]), subresource: "status")
            #expect(patched["status"] == status)
            let cases: [(String, JSONValue?, String)] = [
                ("dotted.name", nil, "metadata.name"),
                ("role", ["repository": "acme/shop", "issue": 1, "stage": "dev", "role": "pm", "mode": "full-env", "ttl": "1h"], "spec.role"),
                ("ttl", ["repository": "acme/shop", "issue": 1, "stage": "dev", "role": "dev", "mode": "full-env", "ttl": "1 hour"], "spec.ttl"),
                ("mode", ["repository": "acme/shop", "issue": 1, "stage": "dev", "role": "dev", "mode": "all", "ttl": "1h"], "spec.mode"),
            ]
            for (n, spec, field) in cases {
                let fields = await T.invalidFields { _ = try await t.client.create(t.runNamespaces, t.runNamespace(n, spec: spec)) }
                #expect(fields?.contains(field) == true, "\(n): \(String(describing: fields))")
            }
            let immutable = await T.invalidFields {
                _ = try await t.client.patch(t.runNamespaces, name: name, .merge(["spec": ["issue": 9]]))
            }
            #expect(immutable?.contains("spec.issue") == true, "\(String(describing: immutable))")
            _ = try await t.client.delete(t.runNamespaces, name: name)
        }
    }
}

/// kubectl shows the printer columns of CRDs/ (wide ones only with `-o wide`).
@Suite(.serialized) struct CRDPrinterColumnTests {
    @Test func kubectlColumns() async throws {
        guard let kubectl = Command.kubectl else {
            print("kubectl not installed: skipping CRDPrinterColumnTests")
            return
        }
        try await CRDTarget.with { t in
            let kubeconfig: String
            if let real = ProcessInfo.processInfo.environment["CODEX_K8S_TEST_KUBECONFIG"], !real.isEmpty {
                kubeconfig = real
            } else {
                kubeconfig = try t.server!.writeKubeconfig(to: t.directory.appendingPathComponent("kubectl-config").path)
            }
            _ = try await t.client.create(t.agentRuns, namespace: t.namespace, t.agentRun("shown"))
            _ = try await t.client.patch(t.agentRuns, namespace: t.namespace, name: "shown",
                                         .merge(["status": ["phase": "Pending", "reason": "WaitingForSlot"]]), subresource: "status")
            let resource = "\(t.agentRuns.plural).\(t.agentRuns.group)"
            let plain = try await Command.run(kubectl, ["--kubeconfig", kubeconfig, "get", resource, "-n", t.namespace])
            #expect(plain.status == 0, "\(plain.err)")
            let header = plain.out.split(separator: "\n").first.map { $0.split(separator: " ").map(String.init) } ?? []
            #expect(header == ["NAME", "REPO", "ISSUE", "STAGE", "PHASE", "AGE"])
            #expect(plain.out.contains("acme/shop") && plain.out.contains("Pending"))
            let wide = try await Command.run(kubectl, ["--kubeconfig", kubeconfig, "get", resource, "-n", t.namespace, "-o", "wide"])
            let wideHeader = wide.out.split(separator: "\n").first.map { $0.split(separator: " ").map(String.init) } ?? []
            #expect(wideHeader == ["NAME", "REPO", "ISSUE", "STAGE", "PHASE", "REASON", "NAMESPACE", "LEASE", "AGE"])
            #expect(wide.out.contains("WaitingForSlot"))
        }
    }
}

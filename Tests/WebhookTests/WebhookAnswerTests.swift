import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import Testing
import Webhook

/// Every answer of SPEC §4 over real HTTP, signed like GitHub, against the adapter wired to
/// KubeTestServer with the CRDs installed.
@Suite struct WebhookAnswerTests {
    @Test func labeledIssueCreatesOneRunWithSnapshotAndProvenance() async throws {
        try await WebhookHarness.with { h in
            let id = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
            let a = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev", labels: ["run:dev", "run:debug", "[ai-model-o3]", "bug"]), id: id)
            #expect(a.code == 202, "\(a)")
            #expect(a.status == "accepted")
            let name = try #require(a.run)
            #expect(name == RunNames.agentRun(repository: "acme/shop", issue: 42, stage: .dev, revise: false, deliveryID: id))
            let run = try await h.client.get(AgentRun.self, namespace: WebhookHarness.namespace, name: name)
            #expect(run.spec.repository == "acme/shop" && run.spec.issue == 42 && run.spec.stage == .dev && !run.spec.isRevise)
            #expect(run.spec.debug == true)
            #expect(run.spec.pullRequest == nil)
            #expect(Set(run.spec.labels ?? []) == Set(["run:dev", "run:debug", "[ai-model-o3]", "bug"].map { RunLabel(name: $0, scope: .issue) }))
            let t = try #require(run.spec.trigger)
            #expect(t.source == .github && t.deliveryID == id && t.event == "issues" && t.action == "labeled")
            #expect(t.label == "run:dev" && t.sender == "octocat" && t.receivedAt != nil)
            #expect(run.metadata.labels?[WebhookLabels.trigger] == TriggerKey(run.spec).labelValue)
            #expect(run.metadata.finalizers == [WellKnown.cleanupFinalizer], "created with the operator's finalizer (one write less)")
            #expect(h.audit.names(delivery: id) == ["webhook.received"])
            #expect(h.audit.deliveries.map(\.outcome) == [.accepted])
            #expect(h.audit.deliveries.first?.run == name)
        }
    }

    @Test func pingAnswersPong() async throws {
        try await WebhookHarness.with { h in
            let a = try await h.deliver("ping", GitHubPayloads.ping())
            #expect(a.code == 200 && a.status == "pong", "\(a)")
            #expect(try await h.runs().isEmpty)
        }
    }

    @Test func ignoredDeliveriesSayWhyAndCreateNothing() async throws {
        try await WebhookHarness.with(settings: { var s = WebhookSettings(); s.allowedBots = ["allowed-bot[bot]"]; return s }()) { h in
            let cases: [(String, JSONValue, String)] = [
                ("push", ["ref": "refs/heads/main", "repository": GitHubPayloads.repository("acme/shop")], "unsupported_event"),
                ("issues", GitHubPayloads.issues("opened"), "unsupported_action"),
                ("issues", GitHubPayloads.issues("labeled", label: "bug"), "not_a_trigger"),
                ("issues", GitHubPayloads.issues("labeled", label: "run:debug"), "not_a_trigger"),
                ("issues", GitHubPayloads.issues("labeled", label: "run:dev", labels: ["run:dev", "run:qa"]), "trigger_conflict"),
                ("issues", GitHubPayloads.issues("labeled", label: "run:dev", sender: GitHubPayloads.user("dependabot[bot]", type: "Bot")), "sender_not_user"),
                ("issues", GitHubPayloads.issues("labeled", label: "run:dev", pullRequest: true), "issue_is_pull_request"),
                ("pull_request_review", GitHubPayloads.review(state: "approved", labels: ["run:dev"]), "review_not_changes_requested"),
                ("pull_request_review", GitHubPayloads.review(state: "changes_requested", labels: ["run:dev", "run:qa"]), "stage_ambiguous"),
                ("pull_request_review", GitHubPayloads.review(state: "changes_requested", labels: []), "stage_not_resolved"),
                ("pull_request_review", GitHubPayloads.review(state: "changes_requested", labels: ["run:rethink"]), "stage_not_revisable"),
                ("issues", GitHubPayloads.issues("unlabeled", label: "run:dev"), "no_active_runs"),
                ("issues", GitHubPayloads.issues("closed"), "no_active_runs"),
            ]
            for (event, payload, reason) in cases {
                let id = UUID().uuidString
                let a = try await h.deliver(event, payload, id: id)
                #expect(a.code == 200 && a.status == "ignored" && a.reason == reason, "\(event) \(reason): \(a)")
                #expect(h.audit.names(delivery: id).contains("webhook.ignored"), "\(reason)")
            }
            #expect(try await h.runs().isEmpty)
            // An allow-listed bot triggers.
            let bot = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev", sender: GitHubPayloads.user("allowed-bot[bot]", type: "Bot")))
            #expect(bot.code == 202, "\(bot)")
            // A review that cannot choose a stage is audited as needing input.
            #expect(h.audit.records.filter { $0.event.name == .reviseStageAmbiguous }.count == 2)
        }
    }

    @Test func malformedRequestsAre400() async throws {
        try await WebhookHarness.with { h in
            let good = GitHubPayloads.issues("labeled", label: "run:dev").serialized()
            let sig = HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: good)
            // Missing headers.
            for drop in ["X-GitHub-Event", "X-GitHub-Delivery"] {
                var headers = ["Content-Type": "application/json", "X-GitHub-Event": "issues", "X-GitHub-Delivery": "d-1",
                               "X-Hub-Signature-256": sig]
                headers[drop] = nil
                let a = try await h.post(headers: headers, body: good)
                #expect(a.code == 400 && a.reason == "malformed_headers", "\(drop): \(a)")
            }
            // Truncated and invalid JSON, signed.
            for body in [Array(good.prefix(good.count / 2)), Array("{\"action\": labeled}".utf8), [], Array("[1,2]".utf8)] {
                let a = try await h.post(headers: ["Content-Type": "application/json", "X-GitHub-Event": "issues", "X-GitHub-Delivery": UUID().uuidString,
                                                   "X-Hub-Signature-256": HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: body)],
                                         body: body)
                #expect(a.code == 400 && a.reason == "malformed_payload", "\(a)")
            }
            // Wrong types in fields the adapter reads.
            var wrong: [JSONValue] = []
            var p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["issue", "number"], to: "42"); wrong.append(p)
            p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["issue", "number"], to: -1); wrong.append(p)
            p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["label", "name"], to: 5); wrong.append(p)
            p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["issue", "labels"], to: "run:dev"); wrong.append(p)
            p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["repository", "full_name"], to: .null); wrong.append(p)
            p = GitHubPayloads.issues("labeled", label: "run:dev"); p.set(path: ["sender"], to: "octocat"); wrong.append(p)
            p = GitHubPayloads.pullRequestEvent("labeled", label: "run:dev"); p.set(path: ["pull_request", "body"], to: ["x": 1]); wrong.append(p)
            p = GitHubPayloads.review(state: "changes_requested"); p.set(path: ["review", "state"], to: true); wrong.append(p)
            for (i, payload) in wrong.enumerated() {
                let event = payload["review"] != nil ? "pull_request_review" : payload["pull_request"] != nil ? "pull_request" : "issues"
                let a = try await h.deliver(event, payload)
                #expect(a.code == 400 && a.reason == "malformed_payload", "case \(i): \(a)")
            }
            #expect(try await h.runs().isEmpty)
        }
    }

    @Test func badOrMissingSignatureIs401AndCreatesNothing() async throws {
        try await WebhookHarness.with { h in
            let payload = GitHubPayloads.issues("labeled", label: "run:dev")
            let missing = try await h.deliver("issues", payload, secret: nil)
            #expect(missing.code == 401 && missing.reason == "bad_signature", "\(missing)")
            let wrong = try await h.deliver("issues", payload, secret: "not the secret")
            #expect(wrong.code == 401, "\(wrong)")
            let body = payload.serialized()
            for header in ["sha1=abc", "sha256=", "sha256=zz" + String(repeating: "0", count: 62),
                           HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: body + [32])] {
                let a = try await h.post(headers: ["Content-Type": "application/json", "X-GitHub-Event": "issues",
                                                   "X-GitHub-Delivery": UUID().uuidString, "X-Hub-Signature-256": header], body: body)
                #expect(a.code == 401, "\(header): \(a)")
            }
            #expect(try await h.runs().isEmpty)
            // Nothing from an unsigned body reaches the audit (only the headers' delivery id and event).
            #expect(h.audit.records.isEmpty)
            #expect(h.audit.deliveries.allSatisfy { $0.outcome == .rejected && $0.repository == nil && $0.sender == nil })
        }
    }

    @Test func repositoryNotAllowedIs403() async throws {
        try await WebhookHarness.with(settings: { var s = WebhookSettings(); s.allowedRepositories = ["acme/shop", "tools/*"]; return s }()) { h in
            let denied = try await h.deliver("issues", GitHubPayloads.issues("labeled", repo: "evil/shop", label: "run:dev"))
            #expect(denied.code == 403 && denied.reason == "repository_not_allowed", "\(denied)")
            let exact = try await h.deliver("issues", GitHubPayloads.issues("labeled", repo: "Acme/Shop", label: "run:dev"))
            #expect(exact.code == 202, "\(exact)")
            let wildcard = try await h.deliver("issues", GitHubPayloads.issues("labeled", repo: "tools/lint", label: "run:dev"))
            #expect(wildcard.code == 202, "\(wildcard)")
            #expect(try await h.runs().count == 2)
        }
    }

    @Test func wrongMethodIs405AndOtherContentTypesAre415() async throws {
        try await WebhookHarness.with { h in
            for method in ["GET", "PUT", "DELETE", "PATCH"] {
                let a = try await h.post(method: method, headers: [:], body: [])
                #expect(a.code == 405 && a.reason == "method_not_allowed", "\(method): \(a)")
            }
            let body = GitHubPayloads.issues("labeled", label: "run:dev").serialized()
            for type in ["text/plain", "application/xml", "multipart/form-data; boundary=x"] {
                let a = try await h.post(headers: ["Content-Type": type, "X-GitHub-Event": "issues", "X-GitHub-Delivery": "x",
                                                   "X-Hub-Signature-256": HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: body)],
                                         body: body)
                #expect(a.code == 415 && a.reason == "unsupported_media_type", "\(type): \(a)")
            }
            let charset = try await h.post(headers: ["Content-Type": "application/json; charset=utf-8", "X-GitHub-Event": "issues",
                                                     "X-GitHub-Delivery": UUID().uuidString,
                                                     "X-Hub-Signature-256": HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: body)],
                                           body: body)
            #expect(charset.code == 202, "\(charset)")
        }
    }

    @Test func kubernetesUnavailableIs503WithNothingCreated() async throws {
        try await WebhookHarness.with { h in
            h.server.faults.fail(RequestMatcher(verb: "create", resource: "agentruns.codex-k8s.dev"), count: 1, code: 503)
            let id = UUID().uuidString
            let a = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev"), id: id)
            #expect(a.code == 503 && a.status == "unavailable" && a.reason == "kubernetes_unavailable", "\(a)")
            #expect(try await h.runs().isEmpty)
            // GitHub redelivers the same delivery: now it works, once.
            let again = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev"), id: id)
            #expect(again.code == 202, "\(again)")
            #expect(try await h.runs().count == 1)
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import Webhook

/// Event handling of SPEC §4 beyond the answer table: pull requests, review-driven revise,
/// cancellation, form encoding, secret rotation and the body limit.
@Suite struct WebhookEventTests {
    func run(_ h: WebhookHarness, _ a: Answer) async throws -> AgentRun {
        try await h.client.get(AgentRun.self, namespace: WebhookHarness.namespace, name: try #require(a.run, "\(a)"))
    }

    @Test func pullRequestLabeledResolvesTheIssueFromTheBody() async throws {
        try await WebhookHarness.with { h in
            let a = try await h.deliver("pull_request", GitHubPayloads.pullRequestEvent("labeled", number: 7, label: "run:dev",
                                                                                        body: "Some work.\n\nFixes #42"))
            #expect(a.code == 202, "\(a)")
            let r = try await run(h, a)
            #expect(r.spec.issue == 42 && r.spec.pullRequest == 7 && r.spec.stage == .dev)
            #expect(r.spec.labels == [RunLabel(name: "run:dev", scope: .pullRequest)])
            // Two closing references: no single issue; the PR's latest run decides (issue 42).
            let b = try await h.deliver("pull_request", GitHubPayloads.pullRequestEvent("labeled", number: 7, label: "run:qa",
                                                                                        body: "closes #1, resolves #2"))
            #expect(try await run(h, b).spec.issue == 42)
            // No reference and no earlier run: the PR number.
            let c = try await h.deliver("pull_request", GitHubPayloads.pullRequestEvent("labeled", number: 8, label: "run:dev", body: nil))
            #expect(try await run(h, c).spec.issue == 8)
        }
    }

    @Test func reviewRequestingChangesStartsAReviseRun() async throws {
        try await WebhookHarness.with { h in
            // Stage from the PR's single run: label.
            let a = try await h.deliver("pull_request_review", GitHubPayloads.review(state: "changes_requested", number: 7,
                                                                                     labels: ["run:design", "state:in-review"], body: "fixes #5"))
            #expect(a.code == 202, "\(a)")
            let r = try await run(h, a)
            #expect(r.spec.stage == .design && r.spec.isRevise && r.spec.issue == 5 && r.spec.pullRequest == 7)
            #expect(r.spec.trigger?.event == "pull_request_review" && r.spec.trigger?.action == "submitted")
            // No stage label: the latest run of the PR decides stage and issue.
            try await h.waitForCache("cache has the run") { h.service.cache.latestRun(repository: "acme/shop", pullRequest: 7) != nil }
            _ = try await h.client.patchStatus(AgentRun.self, namespace: WebhookHarness.namespace, name: a.run!,
                                               .merge(["status": ["phase": "Succeeded"]]))
            try await h.waitForCache("cache sees the phase") {
                h.service.cache.latestRun(repository: "acme/shop", pullRequest: 7)?.status?.phase == .succeeded
            }
            let b = try await h.deliver("pull_request_review", GitHubPayloads.review(state: "CHANGES_REQUESTED", number: 7, labels: []))
            #expect(b.code == 202, "\(b)")
            let s = try await run(h, b)
            #expect(s.spec.stage == .design && s.spec.isRevise && s.spec.issue == 5)
        }
    }

    @Test func unlabelingATriggerCancelsItsActiveRuns() async throws {
        try await WebhookHarness.with { h in
            let dev = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev"))
            let qa = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:qa"))
            try await h.waitForCache("cache has both") { h.service.cache.store.count == 2 }
            let a = try await h.deliver("issues", GitHubPayloads.issues("unlabeled", label: "run:dev"))
            #expect(a.code == 202 && a.reason == "cancel_requested", "\(a)")
            #expect(a.json["runs"] == [.string(dev.run!)])
            #expect(try await run(h, dev).spec.cancel == true)
            #expect(try await run(h, qa).spec.cancel != true)
            // A new run:dev after the cancel request is a new run, not a duplicate of the cancelled one.
            try await h.waitForCache("cache sees cancel") { h.service.cache.activeRuns(TriggerKey(repository: "acme/shop", issue: 42, stage: .dev, revise: false)).isEmpty }
            let again = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:dev"))
            #expect(again.code == 202, "\(again)")
        }
    }

    @Test func closingAnIssueOrPullRequestCancelsItsRuns() async throws {
        try await WebhookHarness.with { h in
            let one = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: 42, label: "run:dev"))
            let two = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: 43, label: "run:dev"))
            let pr = try await h.deliver("pull_request", GitHubPayloads.pullRequestEvent("labeled", number: 9, label: "run:qa", body: "fixes #44"))
            try await h.waitForCache("cache has three") { h.service.cache.store.count == 3 }
            let closed = try await h.deliver("issues", GitHubPayloads.issues("closed", issue: 42))
            #expect(closed.code == 202 && closed.json["runs"] == [.string(one.run!)], "\(closed)")
            let prClosed = try await h.deliver("pull_request", GitHubPayloads.pullRequestEvent("closed", number: 9, body: "fixes #44"))
            #expect(prClosed.code == 202 && prClosed.json["runs"] == [.string(pr.run!)], "\(prClosed)")
            #expect(try await run(h, two).spec.cancel != true)
        }
    }

    @Test func formEncodedDeliveriesAreAccepted() async throws {
        try await WebhookHarness.with { h in
            let a = try await h.deliver("issues", GitHubPayloads.issues("labeled", label: "run:arch", labels: ["run:arch", "needs a+b & c=d"]), form: true)
            #expect(a.code == 202, "\(a)")
            #expect(try await run(h, a).spec.labels?.contains(RunLabel(name: "needs a+b & c=d", scope: .issue)) == true)
            // The signature covers the form body as sent, not the decoded JSON.
            let json = GitHubPayloads.issues("labeled", label: "run:arch").serialized()
            let body = Array("payload=".utf8) + RawHTTP.formEncode(json)
            let b = try await h.post(headers: ["Content-Type": "application/x-www-form-urlencoded", "X-GitHub-Event": "issues",
                                               "X-GitHub-Delivery": UUID().uuidString,
                                               "X-Hub-Signature-256": HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: json)],
                                     body: body)
            #expect(b.code == 401, "\(b)")
            let noPayload = Array("other=1".utf8)
            let c = try await h.post(headers: ["Content-Type": "application/x-www-form-urlencoded", "X-GitHub-Event": "issues",
                                               "X-GitHub-Delivery": UUID().uuidString,
                                               "X-Hub-Signature-256": HubSignature.header(secret: Array(WebhookHarness.secret.utf8), body: noPayload)],
                                     body: noPayload)
            #expect(c.code == 400, "\(c)")
        }
    }

    @Test func rotatedSecretsFromFilesAreReReadAndBothWorkDuringRotation() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let current = dir.appendingPathComponent("current").path, next = dir.appendingPathComponent("next").path
        try "old-secret\n".write(toFile: current, atomically: true, encoding: .utf8)
        let secrets = WebhookSecrets(sources: [.file(current), .file(next), .env("WEBHOOK_TEST_SECRET")],
                                     environment: ["WEBHOOK_TEST_SECRET": "env-secret"])
        try await WebhookHarness.with(secrets: secrets) { h in
            let p = GitHubPayloads.issues("labeled", label: "run:dev")
            #expect(try await h.deliver("issues", p, secret: "old-secret").code == 202)
            #expect(try await h.deliver("issues", p, secret: "env-secret").status == "duplicate")
            #expect(try await h.deliver("issues", p, secret: "new-secret").code == 401)
            // Rotation: the new secret appears in a second file; both are accepted.
            try "new-secret".write(toFile: next, atomically: true, encoding: .utf8)
            #expect(try await h.deliver("issues", p, secret: "new-secret").code == 200)
            #expect(try await h.deliver("issues", p, secret: "old-secret").code == 200)
            // The old one is replaced in place (a Secret volume update): it stops working.
            try "newer-secret".write(toFile: current, atomically: true, encoding: .utf8)
            #expect(try await h.deliver("issues", p, secret: "old-secret").code == 401)
            #expect(try await h.deliver("issues", p, secret: "newer-secret").code == 200)
            #expect(try await h.deliver("issues", p, secret: "new-secret").code == 200)
        }
        #expect(!secrets.description.contains("secret\""))
        #expect(!secrets.description.contains("old-secret") && !secrets.description.contains("env-secret"))
    }

    @Test func oversizedBodiesAre413WithoutBeingBuffered() async throws {
        try await WebhookHarness.with { h in
            let headers = ["Content-Type": "application/json", "X-GitHub-Event": "issues", "X-GitHub-Delivery": UUID().uuidString,
                           "X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)]
            // Declared too large: refused before reading.
            let big = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            let declared = try await h.post(headers: headers, body: big)
            #expect(declared.code == 413 && declared.reason == "payload_too_large", "\(declared)")
            // Exactly at the limit: read (and then rejected for its signature, not its size).
            let atLimit = try await h.post(headers: headers, body: [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20))
            #expect(atLimit.code == 401, "\(atLimit)")
            // Chunked, no length, 64 MiB offered: the server answers 413 and closes long before the end,
            // and the process does not grow by anything near the body size.
            let before = residentBytes()
            let streamed = try await RawHTTP.stream(port: h.port, path: WebhookRoutes.path, headers: headers, total: 64 << 20)
            let after = residentBytes()
            #expect(streamed.code == 413, "\(streamed.code) \(String(decoding: streamed.body, as: UTF8.self))")
            #expect(streamed.sent < 64 << 20, "the server read the whole body")
            #expect(after - before < 64 << 20, "resident memory grew by \(after - before) bytes")
        }
    }

    func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}

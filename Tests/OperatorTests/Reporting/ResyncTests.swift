import GitHub
import KubeAPI
import KubeClient
import KubeTestServer
import Operator
import Runs
import Testing
import Webhook

/// The missed-webhook resync (issue 13): exactly the missing runs, with the adapter's dedup
/// rules, and nothing twice.
@Suite(.serialized) struct ResyncTests {
    @Test func resyncCreatesExactlyTheMissingRunsAndNothingTwice() async throws {
        try await OperatorHarness.with(customize: { $0.webhook.allowedRepositories = ["acme/shop"] }) { h in
            let github = InMemoryGitHub()
            try await h.createRun("active-qa", issue: 2, stage: .qa)
            try await h.createRun("done-plan", issue: 3, stage: .plan)
            try await h.setStatus("done-plan", ["phase": "Succeeded", "reason": "Completed"])
            github.setOpenIssues("acme/shop", [
                GitHubIssue(number: 1, title: "missed", labels: ["run:dev", "bug"], isPullRequest: false, authorLogin: "alice"),
                GitHubIssue(number: 2, title: "running", labels: ["run:qa"], isPullRequest: false),
                GitHubIssue(number: 3, title: "finished", labels: ["run:plan"], isPullRequest: false),
                GitHubIssue(number: 4, title: "no trigger", labels: ["bug"], isPullRequest: false),
                GitHubIssue(number: 5, title: "in review", labels: ["run:dev", "state:in-review"], isPullRequest: false),
                GitHubIssue(number: 60, title: "pr", labels: ["run:dev:revise", "[ai-model-o3]"], isPullRequest: true,
                            authorLogin: "bob", body: "Fixes #6"),
                GitHubIssue(number: 7, title: "conflict", labels: ["run:dev", "run:qa"], isPullRequest: false),
            ])
            let reporter = GitHubReporter(client: h.client, github: github, config: h.config, resyncInterval: .seconds(3600),
                                          logger: OperatorHarness.quiet)
            let resync = try #require(reporter.resync)
            let caches = Task { await resync.runCaches() }
            await resync.waitForCache()

            let first = await resync.resyncOnce()
            #expect(first.created.count == 2)
            #expect(first.conflicts == ["acme/shop#7"])
            #expect(first.failed.isEmpty)
            let runs = try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items
            #expect(runs.count == 4)
            let issueRun = try #require(runs.first { $0.spec.issue == 1 })
            #expect(issueRun.spec.stage == .dev && issueRun.spec.pullRequest == nil && !issueRun.spec.isRevise)
            #expect(issueRun.spec.trigger?.action == "resync" && issueRun.spec.trigger?.sender == "alice")
            #expect(Set(issueRun.spec.labels ?? []) == [RunLabel(name: "run:dev", scope: .issue), RunLabel(name: "bug", scope: .issue)])
            let prRun = try #require(runs.first { $0.spec.pullRequest == 60 })
            #expect(prRun.spec.issue == 6 && prRun.spec.stage == .dev && prRun.spec.isRevise)
            #expect(prRun.metadata.labels?["codex-k8s.dev/trigger"] == TriggerKey(prRun.spec).labelValue)
            #expect(github.labels("acme/shop", 7) == ["need:input"])
            #expect(github.comments("acme/shop", 7).count == 1)
            #expect(github.comments("acme/shop", 7).first?.body.contains("`run:dev`, `run:qa`") == true)

            // Second pass (its cache may lag behind the creates): nothing new.
            let second = await resync.resyncOnce()
            #expect(second.created.isEmpty && second.conflicts.isEmpty)
            #expect(try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items.count == 4)
            // Someone removes need:input without fixing the labels: the label comes back, no second comment.
            try await github.removeLabel(repository: "acme/shop", number: 7, label: "need:input")
            let third = await resync.resyncOnce()
            #expect(third.conflicts == ["acme/shop#7"] && third.created.isEmpty)
            #expect(github.comments("acme/shop", 7).count == 1)
            #expect(github.labels("acme/shop", 7) == ["need:input"])
            caches.cancel()
            await caches.value
        }
    }

    @Test func aRateLimitedListingIsRetriedNextPass() async throws {
        try await OperatorHarness.with(customize: { $0.webhook.allowedRepositories = ["acme/shop"] }) { h in
            let github = InMemoryGitHub()
            github.setOpenIssues("acme/shop", [GitHubIssue(number: 1, title: "missed", labels: ["run:dev"], isPullRequest: false)])
            github.fail(next: [.unavailable("503")])
            let reporter = GitHubReporter(client: h.client, github: github, config: h.config, resyncInterval: .seconds(3600),
                                          logger: OperatorHarness.quiet)
            let resync = try #require(reporter.resync)
            let caches = Task { await resync.runCaches() }
            await resync.waitForCache()
            let failed = await resync.resyncOnce()
            #expect(failed.failed == ["acme/shop"] && failed.created.isEmpty)
            let next = await resync.resyncOnce()
            #expect(next.created.count == 1)
            caches.cancel()
            await caches.value
        }
    }
}

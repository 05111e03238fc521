import GitHub
import KubeAPI
import KubeClient
import KubeTestServer
import MetricsTestKit
import Operator
import Runs
import Testing

/// The status comment over HTTP (issue 13): one comment per run, edited once per phase change,
/// its id and last reported state in `status.report`.
@Suite(.serialized) struct StatusCommentTests {
    static func marker(_ run: String) -> String { StatusComment.marker(run: run) }

    @Test func oneCommentPerRunEditedOncePerPhaseChangeAndNeverOnUnchangedState() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let rep = h.startReporter(github)
            try await h.createRun("c-1", issue: 7)
            let queued = try await h.waitForReport("c-1", "Pending")
            let comments = github.comments("acme/shop", 7, startingWith: Self.marker("c-1"))
            #expect(comments.count == 1)
            #expect(queued.status?.report?.commentID == comments.first?.id)
            let body = try #require(comments.first?.body)
            #expect(body.contains("**Queued**"))
            #expect(body.contains("`kubectl -n \(h.config.controlNamespace) get agentrun c-1`"))

            try await h.setStatus("c-1", ["phase": "Provisioning", "namespace": "t-ns-1", "model": "gpt-5", "reasoning": "high"])
            try await h.waitForReport("c-1", "Provisioning")
            try await h.setStatus("c-1", ["phase": "Running"])
            try await h.waitForReport("c-1", "Running")
            #expect(github.calls("createComment").count == 1)
            #expect(github.calls("updateComment").count == 2)

            // Same phase, other fields: no edit. Redeliveries of the key: no call at all.
            try await h.setStatus("c-1", ["startedAt": "2030-01-01T00:00:00Z", "observedGeneration": 1])
            await rep.settle()
            let before = github.calls.count
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<50 { group.addTask { rep.reporter.requeueAll() } }
            }
            await rep.settle()
            #expect(github.calls.count == before)

            try await h.setStatus("c-1", ["phase": "Waiting", "reason": "WaitingOwnerReview", "message": "paused"])
            try await h.waitForReport("c-1", "Waiting|WaitingOwnerReview")
            #expect(github.comments("acme/shop", 7).first?.body.contains("Waiting** for the owner's review") == true)
            try await h.setStatus("c-1", ["phase": "Failed", "reason": "JobFailed", "message": "exit code 3: tests failed"])
            let failed = try await h.waitForReport("c-1", "Failed|JobFailed")
            let last = try #require(github.comments("acme/shop", 7, startingWith: Self.marker("c-1")).first?.body)
            #expect(last.contains("❌ **Failed** (`JobFailed`)") && last.contains("> exit code 3: tests failed"))
            #expect(last.contains("Namespace: `t-ns-1` (deleted)")) // no RunNamespace exists
            #expect(github.calls("createComment").count == 1)
            #expect(github.comments("acme/shop", 7).count == 1)
            #expect(failed.status?.report?.targets?.map(\.target) == [.comment])
            // A failed run gets no state:in-review.
            #expect(github.labels("acme/shop", 7).isEmpty)
            await rep.stop()
        }
    }

    @Test func aSucceededRunLabelsIssueAndPullRequestInReviewOnce() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let rep = h.startReporter(github)
            _ = try await h.client.create(AgentRun(metadata: ObjectMeta(name: "pr-1", namespace: h.config.controlNamespace),
                                                   spec: AgentRunSpec(repository: "acme/shop", issue: 8, pullRequest: 80, stage: .dev)))
            try await h.waitForReport("pr-1", "Pending")
            // A PR-triggered run's comment lives on the PR.
            #expect(github.comments("acme/shop", 80, startingWith: Self.marker("pr-1")).count == 1)
            #expect(github.comments("acme/shop", 8).isEmpty)
            try await h.setStatus("pr-1", ["phase": "Succeeded", "reason": "Completed", "message": "the agent finished successfully"])
            let done = try await h.waitForRun("pr-1", "labels reported") {
                $0.status?.report?.state(of: .pullRequestLabels) == "state:in-review"
            }
            #expect(done.status?.report?.state(of: .issueLabels) == "state:in-review")
            #expect(github.labels("acme/shop", 8) == ["state:in-review"])
            #expect(github.labels("acme/shop", 80) == ["state:in-review"])
            await rep.settle()
            rep.reporter.requeueAll()
            await rep.settle()
            #expect(github.calls("addLabels").count == 2)
            await rep.stop()
        }
    }

    @Test func aProfileConflictGetsNeedInputAndACommentNamingIt() async throws {
        try await OperatorHarness.with { h in
            let github = InMemoryGitHub()
            let op = h.startOperator()
            let rep = h.startReporter(github)
            try await h.createRun("conflict-1", issue: 9, labels: [RunLabel(name: "[ai-model-gpt-5]", scope: .issue),
                                                                    RunLabel(name: "ai-model-o3", scope: .issue)])
            try await h.waitForRun("conflict-1", "need:input reported") { $0.status?.report?.state(of: .needInput) == "need:input" }
            #expect(github.labels("acme/shop", 9) == ["need:input"])
            let body = try #require(github.comments("acme/shop", 9, startingWith: Self.marker("conflict-1")).first?.body)
            #expect(body.contains("FailedPrecondition") && body.contains("[ai-model-gpt-5]") && body.contains("need:input"))
            #expect(github.comments("acme/shop", 9).count == 1)
            await rep.stop()
            await op.stop()
        }
    }
}

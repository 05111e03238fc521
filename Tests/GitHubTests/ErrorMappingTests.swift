import FakeGitHub
import GitHub
import Testing

/// Every failure maps to the `GitHubError` the protocol documents.
@Suite struct ErrorMappingTests {
    @Test func wrongTokenIsUnauthorized() async throws {
        try await withGitHub(token: "github_pat_wrong") { f in
            let n = f.server.addIssue("acme/shop")
            let e = await githubError { () async throws(GitHubError) in try await f.client.listComments(repository: "acme/shop", number: n) }
            #expect(e == .unauthorized("HTTP 401: Bad credentials"))
            #expect(f.requests("unauthorized") == 1)
            #expect(f.server.requests.first?.headers["authorization"] == "Bearer github_pat_wrong")
        }
    }

    @Test func unknownIssueAndDeletedCommentAreNotFound() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            let e1 = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n + 1, body: "x") }
            #expect(e1 == .notFound)
            let c = try await f.client.createComment(repository: "acme/shop", number: n, body: "status")
            #expect(c.body == "status" && c.authorLogin == "codex-bot[bot]")
            f.server.deleteComment(id: c.id)
            let e2 = await githubError { () async throws(GitHubError) in try await f.client.updateComment(repository: "acme/shop", commentID: c.id, body: "y") }
            #expect(e2 == .notFound)
            let e3 = await githubError { () async throws(GitHubError) in try await f.client.listOpenIssues(repository: "acme/nothing") }
            #expect(e3 == .notFound)
            #expect(f.requests("not_found") == 3)
        }
    }

    @Test func validationFailureIsRejectedWithGitHubsMessage() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            let e = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: "") }
            #expect(e == .rejected(status: 422, message: "Validation Failed: IssueComment body missing_field"))
            let long = String(repeating: "x", count: 65537)
            let e2 = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: long) }
            #expect(e2 == .rejected(status: 422, message: "Validation Failed: body is too long (maximum is 65536 characters)"))
        }
    }

    @Test(arguments: [500, 502, 503]) func serverErrorsAreUnavailable(status: Int) async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.failNext(.status(status))
            let e = await githubError { () async throws(GitHubError) in try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["a"]) }
            #expect(e == .unavailable("HTTP \(status): Server Error"))
            #expect(f.requests("unavailable") == 1)
            try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["a"])  // the next try goes through
            #expect(f.server.labels("acme/shop", number: n) == ["a"])
        }
    }

    @Test func transportFailureIsUnavailable() async throws {
        let f = try await GitHubFixture.start()
        await f.server.stop()
        let e = await githubError { () async throws(GitHubError) in try await f.client.listOpenIssues(repository: "acme/shop") }
        guard case .unavailable = e else {
            Issue.record("expected unavailable, got \(String(describing: e))")
            return
        }
        await f.stop()
    }

    @Test func labelsAreAddedAndRemovedAndAnAbsentLabelIsSuccess() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop", labels: ["run:dev"])
            try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["state:in-review", "need:input"])
            #expect(f.server.labels("acme/shop", number: n) == ["run:dev", "state:in-review", "need:input"])
            try await f.client.removeLabel(repository: "acme/shop", number: n, label: "need:input")
            try await f.client.removeLabel(repository: "acme/shop", number: n, label: "need:input")  // 404 → success
            try await f.client.removeLabel(repository: "acme/shop", number: n, label: "with space/and slash")
            #expect(f.server.labels("acme/shop", number: n) == ["run:dev", "state:in-review"])
            #expect(f.server.requests.last?.path == "/repos/acme/shop/issues/\(n)/labels/with%20space%2Fand%20slash")
            #expect(f.server.requests.filter { $0.method == "DELETE" }.map(\.status) == [200, 404, 404])
        }
    }

    @Test func noTokenIsDisabledWithoutAnyRequest() async throws {
        try await withGitHub(token: nil) { f in
            let e = await githubError { () async throws(GitHubError) in try await f.client.listOpenIssues(repository: "acme/shop") }
            #expect(e == .disabled)
            let unconfigured = GitHubRESTClient(options: GitHubClientOptions(apiURL: f.server.url, tokenFile: nil))
            let e2 = await githubError { () async throws(GitHubError) in try await unconfigured.createComment(repository: "acme/shop", number: 1, body: "x") }
            #expect(e2 == .disabled)
            #expect(f.server.requests.isEmpty)
        }
    }

    @Test func standardHeadersAreSent() async throws {
        try await withGitHub { f in
            f.server.addIssue("acme/shop")
            _ = try await f.client.listOpenIssues(repository: "acme/shop")
            let h = try #require(f.server.requests.first?.headers)
            #expect(h["authorization"] == "Bearer \(FakeGitHubServer.defaultToken)")
            #expect(h["accept"] == "application/vnd.github+json")
            #expect(h["x-github-api-version"] == "2022-11-28")
            #expect(h["user-agent"] == "codex-k8s")
        }
    }
}

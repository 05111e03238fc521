import FakeGitHub
import GitHub
import Testing

/// The token file is re-read when it changes, and the token never appears in logs, errors or metrics.
@Suite struct TokenTests {
    @Test func rotatedTokenIsUsedFromTheNextRequest() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            _ = try await f.client.listComments(repository: "acme/shop", number: n)
            let rotated = "github_pat_11ROTATED_token_value_0987654321"
            f.server.setTokens([rotated])
            try GitHubFixture.writeToken(rotated, to: f.tokenFile)
            _ = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(f.server.requests.map { $0.headers["authorization"] } == ["Bearer \(FakeGitHubServer.defaultToken)", "Bearer \(rotated)"])
            // A new token drops the cached answers: the second GET was not conditional.
            #expect(f.server.requests.map(\.status) == [200, 200])
            #expect(f.server.requests.last?.headers["if-none-match"] == nil)
        }
    }

    @Test func emptiedTokenFileTurnsReportingOff() async throws {
        try await withGitHub { f in
            f.server.addIssue("acme/shop")
            _ = try await f.client.listOpenIssues(repository: "acme/shop")
            try GitHubFixture.writeToken("  ", to: f.tokenFile)
            let e = await githubError { () async throws(GitHubError) in try await f.client.listOpenIssues(repository: "acme/shop") }
            #expect(e == .disabled)
            #expect(f.server.requests.count == 1)
        }
    }

    /// Every outcome (success, 401, 5xx, rate limits, deferred, a server echoing the credentials)
    /// logged at trace level: no line, error or metric label holds the token.
    @Test func tokenNeverInLogsErrorsOrMetrics() async throws {
        try await withGitHub { f in
            let token = FakeGitHubServer.defaultToken
            let n = f.server.addIssue("acme/shop")
            var errors: [GitHubError] = []
            func attempt(_ call: () async throws(GitHubError) -> Void) async {
                do throws(GitHubError) { try await call() } catch { errors.append(error) }
            }
            await attempt { () async throws(GitHubError) in _ = try await f.client.listComments(repository: "acme/shop", number: n) }
            f.server.failNext(.echoAuthorization)
            await attempt { () async throws(GitHubError) in _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            f.server.failNext(.status(502))
            await attempt { () async throws(GitHubError) in _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            f.server.failNext(.secondaryLimit(status: 429, retryAfter: 5))
            await attempt { () async throws(GitHubError) in _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            await attempt { () async throws(GitHubError) in _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            f.clock.advance(5)
            f.server.setTokens(["another"])
            await attempt { () async throws(GitHubError) in _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }

            #expect(errors.count == 5)
            let echoed = try #require(errors.first)
            guard case .rejected(422, let message) = echoed else {
                Issue.record("expected the echo as a 422, got \(echoed)")
                return
            }
            #expect(message.contains("[redacted]"))  // the server did send it; the client removed it
            let texts = errors.map { "\($0)" } + f.logs.all
            #expect(!f.logs.all.isEmpty)
            #expect(texts.allSatisfy { !$0.contains(token) && !$0.contains("github_pat_") })
            for outcome in ["ok", "rejected", "unavailable", "rate_limited", "deferred", "unauthorized"] {
                #expect(f.requests(outcome) >= 1, "outcome \(outcome)")
            }
        }
    }
}

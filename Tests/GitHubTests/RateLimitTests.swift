import FakeGitHub
import GitHub
import Testing

/// Primary and secondary rate limits are honoured: the call reports `.rateLimited(retryAfter:)`
/// and nothing is sent until the wait has passed (time moved by the injected clock).
@Suite struct RateLimitTests {
    /// An exhausted budget (403, `x-ratelimit-remaining: 0`): wait until `x-ratelimit-reset`.
    @Test func primaryLimitWaitsUntilReset() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            let reset = Int64(f.clock.now) + 600
            f.server.setRateLimit(FakeRateLimit(limit: 5000, remaining: 0, reset: reset))
            let e = await githubError { () async throws(GitHubError) in try await f.client.listComments(repository: "acme/shop", number: n) }
            #expect(e == .rateLimited(retryAfter: 600))
            #expect(f.server.requests.map(\.status) == [403])

            f.clock.advance(599)
            let e2 = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            #expect(e2 == .rateLimited(retryAfter: 1))
            #expect(f.server.requests.count == 1)  // not sent
            #expect(f.requests("deferred") == 1)
            #expect(try f.metrics.expectGauge("codex_github_ratelimit_remaining").lastValue == 0)

            f.server.setRateLimit(FakeRateLimit(limit: 5000, remaining: 5000, reset: reset + 3600))
            f.clock.advance(1)
            _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x")
            #expect(f.server.requests.map(\.status) == [403, 201])
            #expect(try f.metrics.expectGauge("codex_github_ratelimit_remaining").lastValue == 4999)
        }
    }

    /// A success that spends the last request: the next call is not sent before the reset.
    @Test func lastRequestOfTheBudgetBlocksTheNext() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            let reset = Int64(f.clock.now) + 120
            f.server.setRateLimit(FakeRateLimit(limit: 5000, remaining: 1, reset: reset))
            _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x")
            #expect(f.client.rateLimitRemaining == 0)
            let e = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: "y") }
            #expect(e == .rateLimited(retryAfter: 120))
            #expect(f.server.requests.count == 1)
        }
    }

    /// 429 with `retry-after`: that many seconds, then the call goes through.
    @Test(arguments: [403, 429]) func secondaryLimitHonoursRetryAfter(status: Int) async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.failNext(.secondaryLimit(status: status, retryAfter: 30))
            let e = await githubError { () async throws(GitHubError) in try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["a"]) }
            #expect(e == .rateLimited(retryAfter: 30))
            #expect(f.requests("rate_limited") == 1)
            f.clock.advance(29.5)
            let e2 = await githubError { () async throws(GitHubError) in try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["a"]) }
            #expect(e2 == .rateLimited(retryAfter: 0.5))
            #expect(f.server.requests.count == 1)
            f.clock.advance(0.5)
            try await f.client.addLabels(repository: "acme/shop", number: n, labels: ["a"])
            #expect(f.server.requests.map(\.status) == [status, 200])
        }
    }

    /// A secondary limit without `retry-after`: wait a minute, as GitHub's documentation says.
    @Test func secondaryLimitWithoutRetryAfterWaitsAMinute() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.failNext(.secondaryLimit(status: 403, retryAfter: nil))
            let e = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            #expect(e == .rateLimited(retryAfter: 60))
            f.clock.advance(60)
            _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x")
            #expect(f.server.requests.map(\.status) == [403, 201])
        }
    }

    /// A 403 that is not a limit (a missing permission) is `.unauthorized` and blocks nothing.
    @Test func forbiddenWithoutLimitIsUnauthorized() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.failNext(.status(403))
            let e = await githubError { () async throws(GitHubError) in try await f.client.createComment(repository: "acme/shop", number: n, body: "x") }
            #expect(e == .unauthorized("HTTP 403: Error"))
            _ = try await f.client.createComment(repository: "acme/shop", number: n, body: "x")
        }
    }
}

/// Edge cases of the rate-limit rules.
@Suite struct RateLimitEdgeTests {
    /// A refusal with `remaining: 0` whose reset is already past by our clock (our clock runs
    /// ahead): wait a minute instead of retrying at once.
    @Test func resetInThePastWaitsAMinute() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.setRateLimit(FakeRateLimit(limit: 5000, remaining: 0, reset: Int64(f.clock.now) - 5))
            let e = await githubError { () async throws(GitHubError) in try await f.client.listComments(repository: "acme/shop", number: n) }
            #expect(e == .rateLimited(retryAfter: 60))
            #expect(f.server.requests.count == 1)
        }
    }
}

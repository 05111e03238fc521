import FakeGitHub
@testable import GitHub
import Testing

/// `Link` parsing, the same-origin rule for following it, and many calls at once.
@Suite struct LinkAndConcurrencyTests {
    @Test func linkParsing() {
        let h = #"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last""#
        #expect(GitHubLink.url(h, rel: "next") == "https://api.github.com/repositories/1/issues?page=2")
        #expect(GitHubLink.url(h, rel: "last") == "https://api.github.com/repositories/1/issues?page=9")
        #expect(GitHubLink.url(h, rel: "prev") == nil)
        #expect(GitHubLink.url(#"<https://x/a?page=3>;rel="prev next""#, rel: "next") == "https://x/a?page=3")
        #expect(GitHubLink.url(#"<https://x/a?page=1>; rel="first""#, rel: "next") == nil)
        #expect(GitHubLink.url(nil, rel: "next") == nil)
        #expect(GitHubClientOptions(apiURL: "https://ghe.example.com/api/v3/").origin == "https://ghe.example.com")
        #expect(GitHubClientOptions(apiURL: "https://ghe.example.com/api/v3/").apiURL == "https://ghe.example.com/api/v3")
    }

    /// A `rel="next"` to another origin is not followed: the token never goes there.
    @Test func aNextLinkToAnotherOriginIsRefused() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            f.server.failNext(.nextLink("http://127.0.0.2:\(f.server.port)/steal?page=2"), method: "GET")
            let e = await githubError { () async throws(GitHubError) in try await f.client.listComments(repository: "acme/shop", number: n) }
            #expect(e == .rejected(status: 200, message: "pagination link leaves \(f.server.url)"))
            #expect(f.server.requests.count == 1)
        }
    }

    /// 50 comments created at once through one client: 50 distinct comments, one request each.
    @Test func fiftyConcurrentWrites() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<50 {
                    group.addTask { try await f.client.createComment(repository: "acme/shop", number: n, body: "c\(i)").id }
                }
                var ids: [Int64] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(Set(ids).count == 50)
            #expect(f.server.comments("acme/shop", number: n).count == 50)
            #expect(f.server.requests.count == 50)
            #expect(f.requests("ok") == 50)
            #expect(f.client.rateLimitRemaining == 4950)
        }
    }
}

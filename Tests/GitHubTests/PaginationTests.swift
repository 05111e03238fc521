import FakeGitHub
import GitHub
import Testing

/// Lists follow every `Link: rel="next"` page of the fake, which paginates like GitHub.
@Suite struct PaginationTests {
    /// 250 comments at per_page=100: three requests, the marker comment on page 3 is found, and
    /// pages 2 and 3 are fetched from the `Link` URLs as given (`/repositories/{id}/…`).
    @Test func aCommentOnPageThreeIsFound() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            for i in 0..<249 { f.server.addComment("acme/shop", number: n, body: "chatter \(i)") }
            let marker = f.server.addComment("acme/shop", number: n, body: "<!-- codex-k8s:run=x -->", author: "codex-bot[bot]")
            let comments = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(comments.count == 250)
            #expect(comments.last == GitHubComment(id: marker, body: "<!-- codex-k8s:run=x -->", authorLogin: "codex-bot[bot]"))
            #expect(comments.map(\.id) == comments.map(\.id).sorted())
            let gets = f.server.requests.filter { $0.method == "GET" }
            #expect(gets.count == 3)
            #expect(gets[0].path == "/repos/acme/shop/issues/\(n)/comments" && gets[0].queryItem("per_page") == "100")
            #expect(gets[1].path.hasPrefix("/repositories/") && gets[1].queryItem("page") == "2")
            #expect(gets[2].queryItem("page") == "3" && gets[2].queryItem("per_page") == "100")
        }
    }

    /// The fake's `Link` header has GitHub's relations and order on first, middle and last pages.
    @Test func linkHeadersLookLikeGitHubs() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            for i in 0..<5 { f.server.addComment("acme/shop", number: n, body: "c\(i)") }
            let client = GitHubRESTClient(options: GitHubClientOptions(apiURL: f.server.url, tokenFile: f.tokenFile, perPage: 2))
            let bodies = try await client.listComments(repository: "acme/shop", number: n).map(\.body)
            #expect(bodies == ["c0", "c1", "c2", "c3", "c4"])
            #expect(f.server.requests.map(\.status) == [200, 200, 200])
            let pages = f.server.requests.map { $0.queryItem("page") }
            #expect(pages == [nil, "2", "3"])
        }
    }

    /// Open issues and pull requests of every page, newest first; closed ones are not listed.
    @Test func openIssuesAndPullRequestsOfEveryPage() async throws {
        try await withGitHub(perPage: 7) { f in
            for i in 1...20 {
                f.server.addIssue("acme/shop", title: "t\(i)", labels: i % 2 == 0 ? ["run:dev"] : [], pullRequest: i % 5 == 0,
                                  open: i != 3)
            }
            let issues = try await f.client.listOpenIssues(repository: "acme/shop")
            #expect(issues.map(\.number) == (1...20).reversed().filter { $0 != 3 })
            #expect(issues.filter(\.isPullRequest).map(\.number) == [20, 15, 10, 5])
            #expect(issues.first { $0.number == 4 }?.labels == ["run:dev"])
            #expect(issues.first?.authorLogin == "octocat")
            #expect(f.server.requests.count == 3)
            #expect(f.server.requests.first?.queryItem("state") == "open")
        }
    }

    /// GitHub Enterprise Server: the API lives under `/api/v3`, and so do the pagination links.
    @Test func enterpriseServerPathPrefix() async throws {
        try await withGitHub(pathPrefix: "/api/v3", perPage: 2) { f in
            #expect(f.server.url.hasSuffix("/api/v3"))
            let n = f.server.addIssue("acme/shop")
            for i in 0..<3 { f.server.addComment("acme/shop", number: n, body: "c\(i)") }
            let listed = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(listed.count == 3)
            let c = try await f.client.createComment(repository: "acme/shop", number: n, body: "hello")
            #expect(f.server.comments("acme/shop", number: n).last?.id == c.id)
            #expect(f.server.requests.allSatisfy { $0.status < 300 })
        }
    }
}

import FakeGitHub
import GitHub
import Testing

/// A renamed repository: GitHub answers 301 to `/repositories/{id}/…`; every call follows it with
/// the same method and body.
@Suite struct RedirectTests {
    @Test func callsOnARenamedRepositoryFollowThe301() async throws {
        try await withGitHub(perPage: 2) { f in
            let n = f.server.addIssue("acme/shop", labels: ["run:dev"])
            for i in 0..<3 { f.server.addComment("acme/shop", number: n, body: "c\(i)") }
            f.server.renameRepository("acme/shop", to: "acme/store")
            let id = try #require(f.server.repositoryID("acme/store"))

            let comments = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(comments.map(\.body) == ["c0", "c1", "c2"])
            #expect(f.server.requests.map(\.status) == [301, 200, 200])
            #expect(f.server.requests[1].path == "/repositories/\(id)/issues/\(n)/comments")
            #expect(f.server.requests[1].queryItem("per_page") == "2")

            f.server.clearRequests()
            let c = try await f.client.createComment(repository: "acme/shop", number: n, body: "moved")
            _ = try await f.client.updateComment(repository: "acme/shop", commentID: c.id, body: "moved twice")
            try await f.client.removeLabel(repository: "acme/shop", number: n, label: "run:dev")
            #expect(f.server.requests.map { "\($0.method) \($0.status)" } == ["POST 301", "POST 201", "PATCH 301", "PATCH 200",
                                                                                "DELETE 301", "DELETE 200"])
            #expect(f.server.comments("acme/store", number: n).last?.body == "moved twice")
            #expect(f.server.labels("acme/store", number: n).isEmpty)
        }
    }
}

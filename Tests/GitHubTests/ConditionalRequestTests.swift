import FakeGitHub
import GitHub
import Testing

/// GETs are conditional: an unchanged list is answered 304 from the cache, without spending budget.
@Suite struct ConditionalRequestTests {
    @Test func unchangedPagesAreServedFromTheCache() async throws {
        try await withGitHub(perPage: 2) { f in
            let n = f.server.addIssue("acme/shop")
            for i in 0..<3 { f.server.addComment("acme/shop", number: n, body: "c\(i)") }
            let first = try await f.client.listComments(repository: "acme/shop", number: n)
            let budget = f.server.rateLimit.remaining
            f.server.clearRequests()

            let second = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(second == first)
            #expect(f.server.requests.map(\.status) == [304, 304])
            #expect(f.server.requests.allSatisfy { $0.headers["if-none-match"]?.hasPrefix("W/\"") == true })
            #expect(f.server.rateLimit.remaining == budget)
            #expect(f.requests("not_modified") == 2)
            #expect(try f.metrics.expectGauge("codex_github_ratelimit_remaining").lastValue == Double(budget))
        }
    }

    /// An edit on page 2: page 1 is a 304 from the cache, page 2 is fetched again with the new text.
    @Test func aChangedPageIsFetchedAgain() async throws {
        try await withGitHub(perPage: 2) { f in
            let n = f.server.addIssue("acme/shop")
            let ids = (0..<4).map { f.server.addComment("acme/shop", number: n, body: "c\($0)") }
            _ = try await f.client.listComments(repository: "acme/shop", number: n)
            _ = try await f.client.updateComment(repository: "acme/shop", commentID: ids[2], body: "c2 edited")
            f.server.clearRequests()
            let again = try await f.client.listComments(repository: "acme/shop", number: n)
            #expect(again.map(\.body) == ["c0", "c1", "c2 edited", "c3"])
            #expect(f.server.requests.map(\.status) == [304, 200])
        }
    }

    /// Writes are never conditional.
    @Test func writesCarryNoIfNoneMatch() async throws {
        try await withGitHub { f in
            let n = f.server.addIssue("acme/shop")
            _ = try await f.client.listComments(repository: "acme/shop", number: n)
            let c = try await f.client.createComment(repository: "acme/shop", number: n, body: "a")
            _ = try await f.client.updateComment(repository: "acme/shop", commentID: c.id, body: "b")
            let writes = f.server.requests.filter { $0.method != "GET" }
            #expect(writes.map(\.status) == [201, 200])
            #expect(writes.allSatisfy { $0.headers["if-none-match"] == nil })
        }
    }
}

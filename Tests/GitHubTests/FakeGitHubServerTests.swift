import FakeGitHub
import KubeAPI
import KubeClient
import Testing

/// The fake's wire format, byte for byte where GitHub documents it (raw requests, no client).
@Suite struct FakeGitHubServerTests {
    static func get(_ server: FakeGitHubServer, _ pathAndQuery: String, token: String? = FakeGitHubServer.defaultToken,
                    headers: [String] = []) async throws -> HTTPResponse {
        let auth = token.map { ["Authorization: Bearer \($0)"] } ?? []
        return try await CurlLoop.shared.perform(HTTPRequest(method: "GET", url: server.url + pathAndQuery, headers: auth + headers))
    }

    @Test func linkHeaderRelationsAndOrderOnEveryPage() async throws {
        let server = try await FakeGitHubServer.start()
        defer { Task { await server.stop() } }
        let n = server.addIssue("acme/shop")
        for i in 0..<5 { server.addComment("acme/shop", number: n, body: "c\(i)") }
        let first = try await Self.get(server, "/repos/acme/shop/issues/\(n)/comments?per_page=2")
        let link = try #require(first.headers["link"])
        let repoID = try #require(server.repositoryID("acme/shop"))
        func url(_ page: Int) -> String {
            "<\(server.url)/repositories/\(repoID)/issues/\(n)/comments?per_page=2&page=\(page)>"
        }
        #expect(link == "\(url(2)); rel=\"next\", \(url(3)); rel=\"last\"")
        let middle = try await Self.get(server, "/repos/acme/shop/issues/\(n)/comments?page=2&per_page=2")
        #expect(middle.headers["link"] == "\(url(1)); rel=\"prev\", \(url(3)); rel=\"next\", \(url(3)); rel=\"last\", \(url(1)); rel=\"first\"")
        let last = try await Self.get(server, "/repos/acme/shop/issues/\(n)/comments?per_page=2&page=3")
        #expect(last.headers["link"] == "\(url(2)); rel=\"prev\", \(url(1)); rel=\"first\"")
        #expect(try JSONValue(parsing: last.body).arrayValue?.count == 1)
        let single = try await Self.get(server, "/repos/acme/shop/issues/\(n)/comments")
        #expect(single.headers["link"] == nil)  // everything fits the default 30
    }

    @Test func authenticationErrorsAndRateLimitHeaders() async throws {
        let server = try await FakeGitHubServer.start()
        defer { Task { await server.stop() } }
        server.addIssue("acme/shop")
        let missing = try await Self.get(server, "/repos/acme/shop/issues", token: nil)
        #expect(missing.status == 401)
        #expect(try JSONValue(parsing: missing.body)["message"] == .string("Requires authentication"))
        let wrong = try await Self.get(server, "/repos/acme/shop/issues", token: "nope")
        #expect(wrong.status == 401)
        #expect(try JSONValue(parsing: wrong.body)["message"] == .string("Bad credentials"))
        let tokenScheme = try await CurlLoop.shared.perform(HTTPRequest(method: "GET", url: server.url + "/repos/acme/shop/issues",
                                                                         headers: ["Authorization: token \(FakeGitHubServer.defaultToken)"]))
        #expect(tokenScheme.status == 401)

        let ok = try await Self.get(server, "/repos/acme/shop/issues")
        #expect(ok.status == 200)
        #expect(ok.headers["x-ratelimit-limit"] == "5000")
        #expect(ok.headers["x-ratelimit-remaining"] == "4999")
        #expect(ok.headers["x-ratelimit-used"] == "1")
        #expect(ok.headers["x-ratelimit-resource"] == "core")
        #expect(ok.headers["content-type"] == "application/json; charset=utf-8")
        let etag = try #require(ok.headers["etag"])
        #expect(etag.hasPrefix("W/\""))
        let again = try await Self.get(server, "/repos/acme/shop/issues", headers: ["If-None-Match: \(etag)"])
        #expect(again.status == 304 && again.body.isEmpty)
        #expect(again.headers["x-ratelimit-remaining"] == "4999")  // a 304 spends nothing

        let unknown = try await Self.get(server, "/repos/acme/none/issues")
        #expect(unknown.status == 404)
        #expect(try JSONValue(parsing: unknown.body) == .object(["message": .string("Not Found"),
                                                                 "documentation_url": .string("https://docs.github.com/rest"),
                                                                 "status": .string("404")]))
        server.setRateLimit(FakeRateLimit(limit: 5000, remaining: 0, reset: 1_800_000_000))
        let limited = try await Self.get(server, "/repos/acme/shop/issues")
        #expect(limited.status == 403)
        #expect(limited.headers["x-ratelimit-remaining"] == "0" && limited.headers["x-ratelimit-reset"] == "1800000000")
        #expect(try JSONValue(parsing: limited.body)["message"]?.stringValue?.hasPrefix("API rate limit exceeded") == true)
    }
}

import KubeAPI
import Testing
@testable import KubeClient

/// The loop resets and reuses the easy handles of completed buffered requests: nothing of one
/// request (method, body, headers, HEAD's no-body, the answer's headers) may leak into the next.
@Suite(.timeLimit(.minutes(1))) struct HandleReuseTests {
    @Test func requestsOnReusedHandlesCarryOnlyTheirOwnOptions() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            return .full(status: req.method == "POST" ? 201 : 200,
                         headers: [("Content-Type", "application/json"), ("X-Method", req.method)],
                         body: Array(#"{"method":"\#(req.method)"}"#.utf8))
        }
        defer { Task { try await server.shutdown() } }
        let loop = CurlLoop()
        defer { loop.shutdown() }

        // One at a time, so every request after the first runs on the handle the one before it left.
        let post = try await loop.perform(HTTPRequest(method: "POST", url: server.url + "/a",
                                                      headers: ["Content-Type: application/json", "X-Extra: 1"],
                                                      body: Array(#"{"x":1}"#.utf8)))
        let head = try await loop.perform(HTTPRequest(method: "HEAD", url: server.url + "/b"))
        let get = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/c"))
        let put = try await loop.perform(HTTPRequest(method: "PUT", url: server.url + "/d", body: []))
        let delete = try await loop.perform(HTTPRequest(method: "DELETE", url: server.url + "/e"))

        #expect(seen.all.map(\.method) == ["POST", "HEAD", "GET", "PUT", "DELETE"])
        #expect(seen.all.map(\.path) == ["/a", "/b", "/c", "/d", "/e"])
        #expect(seen.all[0].body == Array(#"{"x":1}"#.utf8) && seen.all[0].header("X-Extra") == "1")
        #expect(seen.all.dropFirst().allSatisfy { $0.body.isEmpty && $0.header("X-Extra") == nil })
        #expect(seen.all[2].header("Content-Type") == nil)
        #expect([post.status, head.status, get.status, put.status, delete.status] == [201, 200, 200, 200, 200])
        #expect(head.body.isEmpty)  // HEAD: no body was read
        #expect(String(decoding: get.body, as: UTF8.self) == #"{"method":"GET"}"#)  // NOBODY did not stick
        #expect([post, head, get, put, delete].map { $0.headers["x-method"] } == ["POST", "HEAD", "GET", "PUT", "DELETE"])
    }

    @Test func aFailedRequestDoesNotSpoilTheNext() async throws {
        let server = try await TestServer.start { _ in .json(200, #"{"ok":true}"#) }
        defer { Task { try await server.shutdown() } }
        let loop = CurlLoop()
        defer { loop.shutdown() }

        let ok = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/"))
        await #expect(throws: TransportFailure.self) {
            _ = try await loop.perform(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/", timeout: .seconds(5)))
        }
        let again = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/"))
        #expect(ok.status == 200 && again.status == 200 && again.body == Array(#"{"ok":true}"#.utf8))
    }

    @Test func createDiscardingResultSendsTheCreateAndMapsErrors() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            if seen.all.count > 1 {
                return .json(409, #"{"kind":"Status","reason":"AlreadyExists","code":409,"message":"exists"}"#)
            }
            return .json(201, "not even JSON: the answer is not decoded")
        }
        defer { Task { try await server.shutdown() } }
        let client = KubeClient(config: KubeClientConfig(server: server.url, credentials: .none, namespace: "ns1"))
        let map = Namespace(metadata: ObjectMeta(name: "m", labels: ["k": "v"]))

        try await client.createDiscardingResult(map)
        let body = try JSONValue(parsing: seen.all[0].body)
        #expect(seen.all[0].method == "POST" && seen.all[0].path == "/api/v1/namespaces")
        #expect(body["kind"] == "Namespace" && body["metadata"]?["labels"] == ["k": "v"])
        await #expect(throws: KubeError.self) { try await client.createDiscardingResult(map) }
        do {
            try await client.createDiscardingResult(map)
        } catch {
            #expect(error.isAlreadyExists)
        }
    }
}

@Suite struct HeaderLineTests {
    func parse(_ text: String) -> HeaderLine {
        Array(text.utf8).withUnsafeBytes { HeaderLine.parse($0) }
    }

    @Test func fieldsStatusLinesAndTheBlankLine() {
        #expect(parse("HTTP/1.1 200 OK\r\n") == .statusLine)
        #expect(parse("HTTP/2 201\r\n") == .statusLine)
        #expect(parse("Content-Type: application/json\r\n") == .field(name: "content-type", value: "application/json"))
        #expect(parse("Retry-After:\t 3 \r\n") == .field(name: "retry-after", value: "3"))
        #expect(parse("X-Empty:\r\n") == .field(name: "x-empty", value: ""))
        #expect(parse("Link: <https://x/?a=1>; rel=\"next\"\r\n") == .field(name: "link", value: "<https://x/?a=1>; rel=\"next\""))
        #expect(parse("ETag: W/\"Ü\"\r\n") == .field(name: "etag", value: "W/\"Ü\""))
        #expect(parse("\r\n") == .other)
        #expect(parse("") == .other)
    }
}

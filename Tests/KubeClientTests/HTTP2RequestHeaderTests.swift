import Foundation
import KubeAPI
import Testing
@testable import KubeClient

/// HTTP/2 requests through `H2Loop` to the NIO test server carry their headers intact, request after
/// request on one connection (the encoder's copies) and after a header line changes (a new token);
/// responses' headers, kept as the decoded field list, read as before.
@Suite(.timeLimit(.minutes(1))) final class HTTP2RequestHeaderTests: Sendable {
    let pki: TestPKI
    let loop = H2Loop()

    init() throws { pki = try TestPKI.make() }
    deinit {
        loop.shutdown()
        pki.remove()
    }

    @Test func headersArriveIntactRequestAfterRequestAndAfterATokenChange() async throws {
        let server = try await TestServer.start(tls: try pki.serverTLS(requireClientCert: false, alpn: ["h2"]), http2: true,
                                                maxConcurrentStreams: 100) { req in
            let seen = ["authorization", "user-agent", "accept", "content-type", "content-length", "connection"]
                .map { "\($0)=\(req.header($0) ?? "-")" }.joined(separator: ";")
            return .json(200, #"{"seen":"\#(seen)","method":"\#(req.method)","uri":"\#(req.uri)","body":\#(req.body.count)}"#)
        }
        defer { Task { try await server.shutdown() } }
        for i in 0..<12 {
            let token = i < 6 ? "first-token" : "second-token-\(String(repeating: "x", count: 300))"
            let body: [UInt8]? = i % 3 == 0 ? nil : Array("{\"i\":\(i)}".utf8)
            var headers = ["Accept: application/json", "User-Agent: codex-k8s/test", "Authorization: Bearer \(token)",
                           "Connection: keep-alive"]
            if body != nil { headers.append("Content-Type: application/merge-patch+json") }
            let method = body == nil ? "GET" : "PATCH"
            let request = HTTPRequest(method: method, url: server.url + "/r/\(i)?a=\(i)", headers: headers, body: body,
                                      tls: TLSSettings(caFile: pki.caCert))
            let r = try await loop.perform(request, RequestTarget(url: request.url)!)
            let expected = "authorization=Bearer \(token);user-agent=codex-k8s/test;accept=application/json;"
                + "content-type=\(body == nil ? "-" : "application/merge-patch+json");"
                + "content-length=\(body.map { String($0.count) } ?? "-");connection=-"
            #expect(String(decoding: r.body, as: UTF8.self)
                    == #"{"seen":"\#(expected)","method":"\#(method)","uri":"/r/\#(i)?a=\#(i)","body":\#(body?.count ?? 0)}"#)
        }
        #expect(await loop.connectionCount() == 1)
    }

    /// Response headers are kept as the decoded fields: `headers` (built when read) has every
    /// regular header, the last of repeated ones, no pseudo-header field; `header(_:)` agrees;
    /// KubeClient reads `Retry-After` of a 429 through it.
    @Test func responseHeadersFromTheFieldListAndRetryAfterOfAnError() async throws {
        let server = try await TestServer.start(tls: try pki.serverTLS(requireClientCert: false, alpn: ["h2"]), http2: true,
                                                maxConcurrentStreams: 100) { req in
            if req.method == "POST" {
                return .json(429, #"{"kind":"Status","reason":"TooManyRequests","code":429,"message":"slow"}"#,
                             headers: [("Retry-After", "7")])
            }
            return .full(status: 200, headers: [("X-Rep", "1"), ("X-Other", "o"), ("X-Rep", "2"), ("Content-Type", "text/plain")],
                         body: Array("ok".utf8))
        }
        defer { Task { try await server.shutdown() } }
        let request = HTTPRequest(method: "GET", url: server.url + "/h", tls: TLSSettings(caFile: pki.caCert))
        let r = try await loop.perform(request, RequestTarget(url: request.url)!)
        #expect(r.status == 200)
        #expect(r.headers["x-rep"] == "2" && r.headers["x-other"] == "o" && r.headers["content-type"] == "text/plain")
        #expect(!r.headers.keys.contains { $0.hasPrefix(":") })
        for (name, value) in r.headers { #expect(r.header(name) == value) }
        #expect(r.header(":status") == nil && r.header("x-missing") == nil)
        var changed = r
        changed.headers = ["a": "b"]
        #expect(changed.headers == ["a": "b"] && changed.header("a") == "b" && changed.header("x-rep") == nil)

        let config = KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert), connectTimeout: .seconds(5))
        let client = KubeClient(config: config, retryPolicy: .none, http2: loop)
        do {
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: "n")))
            Issue.record("expected 429")
        } catch {
            guard case .tooManyRequests(let retryAfter, _) = error else {
                Issue.record("expected 429, got \(error)")
                return
            }
            #expect(retryAfter == .seconds(7))
        }
    }
}

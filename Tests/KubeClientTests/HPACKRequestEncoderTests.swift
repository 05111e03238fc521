import Foundation
import KubeAPI
import TestSupport
import Testing
@testable import KubeClient

/// `HPACKRequestEncoder` (a request's header block with repeating parts encoded once) against the
/// field-by-field encoding `H2Connection` used before it: byte-identical blocks for random
/// requests — cache hits, misses, replacement past the capacity, Huffman on and off — and the
/// headers arriving intact at a real HTTP/2 server, request after request and after a token change.
@Suite struct HPACKRequestEncoderTests {
    /// The former `H2Connection.open` field list, encoded with `HPACKEncoder.encode` (the reference).
    static func reference(_ encoder: HPACKEncoder, method: String, authority: String, path: String,
                          headers: [String], body: [UInt8]?) -> [UInt8] {
        let dropped: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding",
                                    "upgrade", "host", "expect", "te", "content-length"]
        var fields = [HPACKField(name: ":method", value: method), HPACKField(name: ":scheme", value: "https"),
                      HPACKField(name: ":authority", value: authority), HPACKField(name: ":path", value: path)]
        for line in headers {
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = line[..<colon]
            var value = line[line.utf8.index(after: colon)...]
            while value.first == " " { value = value.dropFirst() }
            if value.isEmpty || dropped.contains(name.lowercased()) { continue }
            fields.append(HPACKField(name: String(name), value: String(value)))
        }
        if let body, !(method == "GET" && body.isEmpty) {
            fields.append(HPACKField(name: "content-length", value: String(body.count)))
        }
        var block: [UInt8] = []
        encoder.encode(fields, into: &block)
        return block
    }

    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "Post", "CUSTOM-VERB"]
    static let paths = ["/", "/index.html", "/api/v1/namespaces/default/pods", "/apis/codex.dev/v1/agentruns?watch=1&resourceVersion=12",
                        "/x", "", String(repeating: "/long-segment", count: 40)]
    static let authorities = ["127.0.0.1:6443", "kubernetes.default.svc:443", "[::1]:8443", ""]
    static let lines = [
        "Accept: application/json", "User-Agent: codex-k8s/1.0 (linux)", "Content-Type: application/merge-patch+json",
        "Content-Type: application/json", "Authorization: Bearer " + String(repeating: "eyJhbGciOiJSUzI1NiJ9.", count: 40),
        "Authorization: Bearer short", "accept-encoding: gzip, deflate", "Accept-Encoding: gzip, deflate",
        "Accept-Encoding: br", "Connection: keep-alive", "Host: example", "TE: trailers", "te: trailers",
        "Content-Length: 12", "Transfer-Encoding: chunked", "Upgrade: h2c", "Expect: 100-continue",
        "Keep-Alive: timeout=5", "Proxy-Connection: close", "X-Empty:", "X-Spaces:     spaced value",
        "X-Mixed-Case: Value", "no colon here", ":weird: value", "Cookie: a=b", "Proxy-Authorization: Basic eA==",
        "Set-Cookie: c=d", "X-Unicode: grüße", "x-trailing-space: v ", "Accept: */*", "Authorization:",
        "If-None-Match: \"etag\"", "Retry-After: 3", "x-a: 1", "x-b: 2", "x-c: 3", "x-d: 4", "x-e: 5",
    ]

    @Test(arguments: [false, true], [UInt64(1), 2, 3])
    func blocksAreByteIdenticalToTheFieldByFieldEncoding(huffman: Bool, seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let base = HPACKEncoder(huffman: huffman)
        var encoder = HPACKRequestEncoder(encoder: base)
        for round in 0..<2000 {
            let method = Self.methods[rng.next(Self.methods.count)]
            let authority = Self.authorities[round < 1000 ? 0 : rng.next(Self.authorities.count)]
            let path = Self.paths[rng.next(Self.paths.count)]
            // Mostly a client's usual lines (hits), sometimes others (misses and replacement).
            var headers = ["Accept: application/json", "User-Agent: codex-k8s/1.0 (linux)"]
            for _ in 0..<rng.next(5) { headers.append(Self.lines[rng.next(Self.lines.count)]) }
            if rng.next(4) == 0 { headers.shuffle(using: &rng) }
            let body: [UInt8]? = [nil, [], Array("{}".utf8), [UInt8](repeating: 7, count: 200)][rng.next(4)]
            var block: [UInt8] = []
            encoder.encode(method: method, authority: authority, path: path, headers: headers,
                           bodyCount: body?.count, into: &block)
            let expected = Self.reference(base, method: method, authority: authority, path: path, headers: headers, body: body)
            #expect(block == expected, "round \(round): \(method) \(path) \(headers)")
            if block != expected { return }
        }
    }

    @Test func aBlockDecodesToTheRequestsFields() throws {
        var encoder = HPACKRequestEncoder()
        var decoder = HPACKDecoder()
        for _ in 0..<3 {  // the second and third from the cache
            var block: [UInt8] = []
            encoder.encode(method: "PATCH", authority: "h:1", path: "/p", headers: ["Accept: application/json",
                           "Authorization: Bearer t", "Connection: close", "X-Empty:", "Content-Type:  text/plain"],
                           bodyCount: 3, into: &block)
            let fields = try block.withUnsafeBytes { try decoder.decode($0) }
            #expect(fields.map { "\($0.name)=\($0.value)" } == [":method=PATCH", ":scheme=https", ":authority=h:1", ":path=/p",
                                                               "accept=application/json", "authorization=Bearer t",
                                                               "content-type=text/plain", "content-length=3"])
            #expect(decoder.dynamicTableCount == 0)  // nothing indexed
        }
    }
}

/// HTTP/2 requests through `H2Loop` to the NIO test server carry their headers intact, request after
/// request on one connection (the encoder's copies) and after a header line changes (a new token).
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

extension SplitMix {
    mutating func next(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

import Foundation
import TestSupport
import Testing
@testable import KubeClient

/// `HPACKRequestEncoder` (a request's header block with repeating parts encoded once) against the
/// field-by-field encoding `H2Connection` used before it: byte-identical blocks for random
/// requests — cache hits, misses, replacement past the capacity, Huffman on and off
/// (`HTTP2RequestHeaderTests` sends them to a real server).
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

    /// Canonically equivalent lines, methods and authorities (`==` holds) with different bytes are
    /// different cache entries: each request's block is its own text's encoding.
    @Test(arguments: [false, true]) func canonicallyEquivalentTextIsNotACacheHit(huffman: Bool) {
        let base = HPACKEncoder(huffman: huffman)
        var encoder = HPACKRequestEncoder(encoder: base)
        let composed = "X-Name: caf\u{E9}", decomposed = "X-Name: cafe\u{301}"
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        for (method, authority, line) in [("M\u{C5}", "h\u{E9}st:1", composed), ("MA\u{30A}", "he\u{301}st:1", decomposed),
                                          ("M\u{C5}", "h\u{E9}st:1", composed)] {
            var block: [UInt8] = []
            encoder.encode(method: method, authority: authority, path: "/p", headers: [line], bodyCount: nil, into: &block)
            #expect(block == Self.reference(base, method: method, authority: authority, path: "/p", headers: [line], body: nil))
        }
        #expect(HPACKRequestEncoder.sameBytes("", "") && !HPACKRequestEncoder.sameBytes("a", "") && HPACKRequestEncoder.sameBytes("ab", "ab"))
    }

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

extension SplitMix {
    mutating func next(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

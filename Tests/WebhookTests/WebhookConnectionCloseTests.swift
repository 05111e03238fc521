import Foundation
import Testing
import Webhook

/// A refused body ends the connection: the adapter answers and closes at once instead of draining
/// (keep-alive) or waiting for the client to stop sending.
@Suite struct WebhookConnectionCloseTests {
    static func head(port: Int, length: Int, extra: String = "") -> String {
        "POST \(WebhookRoutes.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "X-GitHub-Event: issues\r\nX-GitHub-Delivery: \(UUID().uuidString)\r\n"
            + "X-Hub-Signature-256: sha256=\(String(repeating: "0", count: 64))\r\n\(extra)Content-Length: \(length)\r\n\r\n"
    }

    @Test func aDeclaredOversizeOnAKeepAliveConnectionIsAnsweredAndClosed() async throws {
        try await WebhookHarness.with { h in
            // Keep-alive (no `Connection: close` from the client), 64 MiB announced, 64 KiB sent.
            let head = Self.head(port: h.port, length: 64 << 20)
            let r = try await RawHTTP.answerThenClose(port: h.port, head: head, bodyPart: [UInt8](repeating: 32, count: 64 << 10))
            #expect(r.code == 413, "\(r.code) \(String(decoding: r.body, as: UTF8.self))")
            #expect(r.closed, "the connection stayed open after the 413")
        }
    }

    @Test func aBodyCrossingTheLimitWhileReadIsAnsweredAndClosed() async throws {
        try await WebhookHarness.with { h in
            // Chunked, keep-alive: the limit is crossed while reading; the answer comes, then the close.
            var head = Self.head(port: h.port, length: 0, extra: "Transfer-Encoding: chunked\r\n")
            head = head.replacingOccurrences(of: "Content-Length: 0\r\n", with: "")
            let chunk = Array(String(1 << 20, radix: 16).utf8) + [13, 10] + [UInt8](repeating: 32, count: 1 << 20) + [13, 10]
            let r = try await RawHTTP.answerThenClose(port: h.port, head: head, bodyPart: chunk + chunk)
            #expect(r.code == 413, "\(r.code) \(String(decoding: r.body, as: UTF8.self))")
            #expect(r.closed, "the connection stayed open after the 413")
        }
    }

    @Test func answersWithoutConnectionCloseKeepTheConnection() async throws {
        try await WebhookHarness.with { h in
            // 405 does not ask to close: a second request on the same connection is answered.
            let first = "GET \(WebhookRoutes.path) HTTP/1.1\r\nHost: 127.0.0.1:\(h.port)\r\nContent-Length: 0\r\n\r\n"
            let second = "GET \(WebhookRoutes.path) HTTP/1.1\r\nHost: 127.0.0.1:\(h.port)\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            let codes = try await RawHTTP.twoOnOneConnection(port: h.port, first: first, second: second)
            #expect(codes == [405, 405])
        }
    }
}

import KubeAPI
import NIOSSL
import Testing
@testable import KubeClient

/// How the transport spreads requests and watches over connections (`CURLOPT_PIPEWAIT` for
/// `https`, see `EasyHandle.waitsForMultiplexing`): against an h2 server a burst started before
/// any connection exists shares one connection; against HTTPS servers that only speak HTTP/1.1
/// (by ALPN or without ALPN) watches holding their connections never keep later requests waiting.
@Suite(.timeLimit(.minutes(1))) final class MultiplexingTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.make() }
    deinit { pki.remove() }

    func serverTLS(alpn: [String]) throws -> TLSConfiguration {
        try pki.serverTLS(alpn: alpn)
    }

    /// Watches get one event and stay open until `open` ends; other requests get a Namespace
    /// naming the protocol they came over.
    static func responder(_ open: AsyncStream<[UInt8]>) -> Responder {
        { req in
            if req.query["watch"] == "true" {
                let (mine, feed) = AsyncStream<[UInt8]>.makeStream()
                feed.yield(Array((WatchStreamTests.event("ADDED", "a", rv: "1") + "\n").utf8))
                Task { for await _ in open {}; feed.finish() }
                return .stream(status: 200, chunks: mine)
            }
            return .json(200, #"{"metadata":{"name":"n","annotations":{"proto":"\#(req.httpVersion)"}}}"#)
        }
    }

    /// Starts `watches` watches and `gets` gets at once; returns once every watch delivered its
    /// event and every get answered, with the protocols the gets came over.
    func burst(_ server: TestServer, watches: Int, gets: Int) async throws -> [String] {
        let c = KubeClient(config: KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert)),
                           retryPolicy: .none)
        let (ready, readyFeed) = AsyncStream<Void>.makeStream()
        let tasks = (0..<watches).map { i in
            Task { for try await _ in c.watch(Namespace.resource, namespace: "ns\(i)") { readyFeed.yield() } }
        }
        defer { for t in tasks { t.cancel() } }
        let protocols = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<gets {
                group.addTask { try await c.get(Namespace.self, name: "n").metadata.annotations?["proto"] ?? "" }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var seen = 0
        for await _ in ready {
            seen += 1
            if seen == watches { break }
        }
        return protocols
    }

    @Test func aBurstAgainstAnH2ServerSharesOneConnection() async throws {
        let (open, end) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start(tls: try serverTLS(alpn: ["h2", "http/1.1"]), http2: true,
                                                responder: Self.responder(open))
        defer {
            end.finish()
            Task { try await server.shutdown() }
        }
        let protocols = try await burst(server, watches: 12, gets: 30)
        #expect(protocols == Array(repeating: "2", count: 30))
        #expect(server.accepted == 1, "12 watches and 30 requests multiplexed on one connection")
    }

    @Test(arguments: [["http/1.1"], []])
    func watchesOverHTTPS1NeverHoldBackRequests(alpn: [String]) async throws {
        let (open, end) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start(tls: try serverTLS(alpn: alpn), responder: Self.responder(open))
        defer {
            end.finish()
            Task { try await server.shutdown() }
        }
        let protocols = try await burst(server, watches: 12, gets: 10)
        #expect(protocols == Array(repeating: "1.1", count: 10))
        #expect(server.accepted >= 12, "each watch holds an HTTP/1.1 connection of its own")
        // With every watch holding its connection, one more request still goes through.
        let c = KubeClient(config: KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert)))
        #expect(try await c.get(Namespace.self, name: "n").metadata.name == "n")
    }

    @Test func onlyHTTPSTransfersWaitForMultiplexing() {
        #expect(EasyHandle.waitsForMultiplexing("https://10.0.0.1:6443/api"))
        #expect(EasyHandle.waitsForMultiplexing("HTTPS://example"))
        #expect(!EasyHandle.waitsForMultiplexing("http://127.0.0.1:8080/api"))
        #expect(!EasyHandle.waitsForMultiplexing("http"))
    }
}

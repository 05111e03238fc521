import Foundation
import NIOSSL
import Testing
@testable import KubeClient

/// A loop turn that starts requests writes them with its connections' sockets corked
/// (`LoopSockets`): the requests must arrive whole, no socket may stay corked after the turn, and
/// the loop must only ever touch descriptors that are its connections' — curl closes the sockets of
/// failed connection attempts without telling it, and the descriptor number may be reused.
@Suite(.timeLimit(.minutes(1))) final class SocketCorkTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.make() }
    deinit { pki.remove() }

    func h2Server(_ responder: @escaping Responder) async throws -> TestServer {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(pki.serverCert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.serverKey, format: .pem)))
        tls.applicationProtocols = ["h2", "http/1.1"]
        return try await TestServer.start(tls: tls, http2: true, responder: responder)
    }

    /// Whether `TCP_CORK` is set on `fd` (nil when it cannot be read).
    static func isCorked(_ fd: Int32) -> Bool? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &value, &length) == 0 else { return nil }
        return value != 0
    }

    /// A body of `count` bytes that names `i`, so every request's body is different.
    static func body(_ i: Int, count: Int = 1500) -> [UInt8] {
        let head = Array(#"{"i":\#(i),"pad":""#.utf8)
        return head + Array(repeating: UInt8(ascii: "x"), count: count - head.count - 2) + Array(#""}"#.utf8)
    }

    @Test func writesStartedInOneTurnOverHTTP2ArriveWholeAndLeaveNoSocketCorked() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await h2Server { req in
            seen.append(req)
            return .json(req.method == "POST" ? 201 : 200, #"{"bytes":\#(req.body.count)}"#)
        }
        defer { Task { try await server.shutdown() } }
        let loop = CurlLoop()
        defer { loop.shutdown() }
        let tls = TLSSettings(caFile: pki.caCert)

        let first = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/", tls: tls))
        #expect(first.httpVersion == "2")
        // Bodies over 1 KiB: libcurl 7.88 writes each request's HEADERS and DATA with two sends.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<24 {
                group.addTask {
                    try await loop.perform(HTTPRequest(method: "POST", url: server.url + "/w/\(i)",
                                                       headers: ["Content-Type: application/json"],
                                                       body: Self.body(i), tls: tls)).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 201, count: 24))
        let posts = seen.all.filter { $0.method == "POST" }
        #expect(posts.count == 24)
        for post in posts {
            let i = Int(post.path.dropFirst(3)) ?? -1
            #expect(post.body == Self.body(i), "the body of /w/\(i) arrived whole")
        }
        #expect(server.accepted == 1)

        // Every request completed; no turn starts requests any more, so none corks.
        let connections = try ProcSockets.connected(toPort: server.port).map(\.fd)
        #expect(connections.count == 1)
        #expect(await loop.recordedSockets() == connections.sorted())
        for fd in connections { #expect(Self.isCorked(fd) == false, "fd \(fd) was left corked") }
    }

    @Test func failedConnectsAreForgottenBeforeAnyDescriptorIsTouched() async throws {
        let server = try await TestServer.start { req in
            .json(200, #"{"ok":true}"#, headers: req.path == "/close" ? [("Connection", "close")] : [])
        }
        defer { Task { try await server.shutdown() } }
        let loop = CurlLoop()
        defer { loop.shutdown() }

        // A connection attempt that never completes: curl records its socket when it opens it, and
        // when the connect timeout ends the attempt it closes the socket itself, unannounced.
        let silent = try SilentListener()
        defer { silent.close() }
        await #expect(throws: TransportFailure.self) {
            _ = try await loop.perform(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(silent.port)/",
                                                   connectTimeout: .milliseconds(300)))
        }
        // The freed descriptor number now names another socket of this process, not the loop's.
        let other = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(other >= 0)
        defer { close(other) }

        // The next turn starts a request, so it corks: the stale record is dropped unused.
        let ok = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/"))
        #expect(ok.status == 200)
        let connections = try ProcSockets.connected(toPort: server.port).map(\.fd)
        let recorded = await loop.recordedSockets()
        #expect(!recorded.contains(other))
        #expect(recorded == connections.sorted())
        #expect(Self.isCorked(other) == false)

        // A connection curl closes (the server said `Connection: close`) is forgotten with it.
        let closing = try await loop.perform(HTTPRequest(method: "GET", url: server.url + "/close"))
        #expect(closing.status == 200)
        let after = try ProcSockets.connected(toPort: server.port).map(\.fd)
        #expect(await loop.recordedSockets() == after.sorted())
        #expect(after.isEmpty)
    }
}

/// A TCP listener on 127.0.0.1 that never accepts, its one-connection backlog filled at once: the
/// kernel drops the SYNs of any further connect, which stays in progress until the client gives up.
struct SilentListener {
    let listener: Int32
    let filler: Int32
    let port: Int

    init() throws {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = server
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(server, p, length) == 0 && listen(server, 0) == 0 && getsockname(server, p, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        filler = client
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        guard connected else { throw POSIXError(.ECONNREFUSED) }
    }

    func close() {
        _ = Foundation.close(filler)
        _ = Foundation.close(listener)
    }
}

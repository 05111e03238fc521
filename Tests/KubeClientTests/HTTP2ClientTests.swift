import Foundation
import KubeAPI
import NIOSSL
import Synchronization
import Testing
@testable import KubeClient

/// KubeClient's own HTTP/2 client (`H2Loop`) over real TLS against the NIO test server: flow
/// control both ways, the server's stream limit, streams, timeouts, TLS failures with specific
/// messages, client certificates, the fall-back to libcurl, and connections the server ends.
/// Each test has a loop of its own, so connection counts are the test's.
@Suite(.timeLimit(.minutes(1))) final class HTTP2ClientTests: Sendable {
    let pki: TestPKI
    let loop = H2Loop()

    init() throws { pki = try TestPKI.make() }
    deinit {
        loop.shutdown()
        pki.remove()
    }

    func serverTLS(requireClientCert: Bool = false, h2: Bool = true) throws -> TLSConfiguration {
        try pki.serverTLS(requireClientCert: requireClientCert, alpn: h2 ? ["h2", "http/1.1"] : ["http/1.1"])
    }

    func start(h2: Bool = true, clientCert: Bool = false, maxConcurrentStreams: Int = 100,
               _ responder: @escaping Responder) async throws -> TestServer {
        try await TestServer.start(tls: try serverTLS(requireClientCert: clientCert, h2: h2), http2: h2,
                                   maxConcurrentStreams: maxConcurrentStreams, responder: responder)
    }

    func client(_ server: TestServer, _ tls: TLSSettings? = nil, timeout: Duration = .seconds(60)) -> KubeClient {
        let config = KubeClientConfig(server: server.url, tls: tls ?? TLSSettings(caFile: pki.caCert), requestTimeout: timeout,
                                      connectTimeout: .seconds(5))
        return KubeClient(config: config, retryPolicy: .none, http2: loop)
    }

    func request(_ server: TestServer, _ path: String, method: String = "GET", body: [UInt8]? = nil,
                 timeout: Duration = .seconds(30)) -> HTTPRequest {
        HTTPRequest(method: method, url: server.url + path, body: body, timeout: timeout, tls: TLSSettings(caFile: pki.caCert))
    }

    func perform(_ r: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
        try await loop.perform(r, RequestTarget(url: r.url)!)
    }

    static func transportError(_ body: () async throws -> Void) async -> (code: Int, message: String)? {
        do {
            try await body()
            return nil
        } catch let KubeError.transport(code, message) {
            return (code, message)
        } catch let TransportFailure.curl(code, message) {
            return (code, message)
        } catch {
            return (-1, "\(error)")
        }
    }

    static let hello: Responder = { req in .json(200, #"{"proto":"\#(req.httpVersion)","path":"\#(req.path)"}"#) }

    @Test func theClientUsesItByDefaultForHTTPS() async throws {
        let server = try await start(Self.hello)
        defer { Task { try await server.shutdown() } }
        let c = client(server)
        #expect(c.loop.name == "h2")
        let r = try await perform(request(server, "/x?y=1"))
        #expect(r.status == 200 && r.httpVersion == "2" && r.headers["content-type"] == "application/json")
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"proto":"2","path":"/x"}"#)
        var forced = c.config
        forced.transport = .curl
        #expect(KubeClient(config: forced).loop.name == "curl")
        #expect(KubeClient(config: KubeClientConfig(server: "http://127.0.0.1:1")).loop.name == "curl")
    }

    @Test func headerNamesAreLowerCasedAndHopByHopHeadersDropped() async throws {
        let server = try await start { req in
            .json(200, #"{"custom":"\#(req.header("x-mixed-Case") ?? "")","connection":"\#(req.header("connection") ?? "none")"}"#)
        }
        defer { Task { try await server.shutdown() } }
        var r = request(server, "/h")
        r.headers = ["X-Mixed-Case: v1", "Connection: keep-alive", "Keep-Alive: 5", "Expect:", "TE: gzip", "Host: other"]
        let response = try await perform(r)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"custom":"v1","connection":"none"}"#)
    }

    @Test func aResponseBiggerThanTheReceiveWindows() async throws {
        // 6 MiB: more than the 4 MiB stream window, so WINDOW_UPDATEs must flow while it arrives.
        let big = (0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let server = try await start { _ in .full(status: 200, headers: [], body: big) }
        defer { Task { try await server.shutdown() } }
        let r = try await perform(request(server, "/big"))
        #expect(r.body.count == big.count)
        #expect(r.body == big)
    }

    @Test func aRequestBodyBiggerThanThePeersWindow() async throws {
        // 600 KiB against NIO's 64 KiB initial windows: the body waits for WINDOW_UPDATEs.
        let body = (0..<(600 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let server = try await start { req in .full(status: 201, headers: [], body: req.body) }
        defer { Task { try await server.shutdown() } }
        let r = try await perform(request(server, "/echo", method: "POST", body: body))
        #expect(r.status == 201 && r.body == body)
    }

    @Test func moreRequestsThanTheServersStreamLimit() async throws {
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        let server = try await start(maxConcurrentStreams: 3) { req in
            let now = inFlight.add(1, ordering: .relaxed).newValue
            peak.max(now, ordering: .relaxed)
            try? await Task.sleep(for: .milliseconds(30))
            inFlight.subtract(1, ordering: .relaxed)
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        // The first request learns the server's limit (SETTINGS) before the burst.
        _ = try await perform(request(server, "/first"))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<30 { group.addTask { try await self.perform(self.request(server, "/r\(i)")).status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect(peak.load(ordering: .relaxed) <= 3 * server.accepted)
        #expect(server.accepted <= 10, "requests share connections up to the limit")
    }

    @Test func watchStreamsAndCancellationResetsTheStream() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let server = try await start { req in
            req.path == "/api/v1/namespaces" && req.query["watch"] == "true" ? .stream(status: 200, chunks: chunks) : .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        let c = client(server)
        let events = Mutex<[String]>([])
        let watch = Task {
            for try await e in c.watch(Namespace.self) {
                if case .added(let ns) = e { events.withLock { $0.append(ns.metadata.name ?? "") } }
            }
        }
        for name in ["a", "b"] {
            feed.yield(Array(#"{"type":"ADDED","object":{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"\#(name)"}}}"#.utf8) + [10])
        }
        for _ in 0..<500 where events.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(events.withLock { $0 } == ["a", "b"])
        #expect(await loop.openStreamCount() == 1)
        watch.cancel()
        try await watch.value  // a cancelled watch ends without an error
        #expect(await loop.openStreamCount() == 0, "the stream was reset (RST_STREAM) and left the connection")
        #expect(try await perform(request(server, "/after")).status == 200)
        #expect(server.accepted == 1)
    }

    @Test func anIdleStreamEnds() async throws {
        let server = try await start { _ in .stream(status: 200, chunks: AsyncStream { _ in }) }
        defer { Task { try await server.shutdown() } }
        var r = request(server, "/quiet", timeout: .seconds(30))
        r.timeout = nil
        r.idleTimeout = .milliseconds(300)
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
            _ = loop.stream(r, RequestTarget(url: r.url)!, onData: { _ in }, onComplete: { c.resume(returning: $0) })
        }
        guard case .failure(.idle(let d)) = result else { Issue.record("expected idle, got \(result)"); return }
        #expect(d == .milliseconds(300))
    }

    @Test func aRequestTimesOut() async throws {
        let server = try await start { req in
            if req.path != "/fast" { try? await Task.sleep(for: .seconds(10)) }
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        let e = await Self.transportError { _ = try await self.client(server, timeout: .milliseconds(300)).get(Namespace.self, name: "x") }
        #expect(e?.code == 28)
        #expect(e?.message.contains("timed out after 300 milliseconds") == true, "\(String(describing: e))")
        // The stream was reset; the connection stays in use.
        #expect(try await perform(request(server, "/fast")).status == 200)
        #expect(server.accepted == 1)
    }

    @Test func connectionRefused() async throws {
        let server = try await start(Self.hello)
        let port = server.port
        try await server.shutdown()
        let e = await Self.transportError {
            _ = try await self.perform(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/", tls: TLSSettings(caFile: self.pki.caCert)))
        }
        #expect(e?.code == 7)
        #expect(e?.message == "Failed to connect to 127.0.0.1 port \(port): Connection refused")
    }

    @Test func aWrongCAOrHostnameFailsWithTheReason() async throws {
        let server = try await start(Self.hello)
        defer { Task { try await server.shutdown() } }
        let systemStore = await Self.transportError { _ = try await self.client(server, TLSSettings()).get(Namespace.self, name: "x") }
        #expect(systemStore?.code == 60)
        #expect(systemStore?.message.hasPrefix("SSL certificate problem: ") == true, "\(String(describing: systemStore))")
        let wrongName = await Self.transportError {
            _ = try await self.client(server, TLSSettings(caFile: self.pki.caCert, serverName: "other.example")).get(Namespace.self, name: "x")
        }
        #expect(wrongName?.code == 60)
        #expect(wrongName?.message == "SSL: certificate subject name does not match target host name 'other.example'")
        // The certificate names localhost too: a server name it has verifies.
        let named = try await client(server, TLSSettings(caFile: pki.caCert, serverName: "localhost")).loop.perform(request(server, "/"))
        #expect(named.status == 200 && named.httpVersion == "2")
        let insecure = try await client(server, TLSSettings(insecureSkipVerify: true)).loop.perform(
            HTTPRequest(method: "GET", url: server.url + "/", tls: TLSSettings(insecureSkipVerify: true)))
        #expect(insecure.status == 200)
    }

    @Test func clientCertificateAuthentication() async throws {
        let server = try await start(clientCert: true) { req in .json(200, #"{"proto":"\#(req.httpVersion)"}"#) }
        defer { Task { try await server.shutdown() } }
        for tls in [TLSSettings(caData: pki.bytes(pki.caCert), clientCertificateData: pki.bytes(pki.clientCert),
                                clientKeyData: pki.bytes(pki.clientKey)),
                    TLSSettings(caFile: pki.caCert, clientCertificateFile: pki.clientCert, clientKeyFile: pki.clientKey)] {
            let r = try await perform(HTTPRequest(method: "GET", url: server.url + "/", tls: tls))
            #expect(r.status == 200 && r.httpVersion == "2")
        }
        let without = await Self.transportError { _ = try await self.perform(self.request(server, "/")) }
        // TLS 1.3: the server rejects the handshake after the client finished it, with an alert.
        #expect(without?.code == 56, "\(String(describing: without))")
        #expect(without?.message.contains("certificate required") == true, "\(String(describing: without))")
    }

    @Test func anHTTP1OnlyServerFallsBackToLibcurl() async throws {
        let server = try await start(h2: false, Self.hello)
        defer { Task { try await server.shutdown() } }
        let c = client(server)
        for _ in 0..<3 {
            let r = try await c.loop.perform(request(server, "/h1"))
            #expect(r.status == 200 && r.httpVersion == "1.1")
        }
        #expect(await loop.connectionCount() == 0, "the h2 loop keeps no connection to it")
    }

    @Test func aClosedConnectionFailsItsStreamsAndTheNextRequestReconnects() async throws {
        let server = try await start { req in
            if req.path == "/close" { return .closeConnection }
            if req.path == "/slow" { try? await Task.sleep(for: .seconds(5)) }
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        _ = try await perform(request(server, "/first"))
        let slow = Task { await Self.transportError { _ = try await self.perform(self.request(server, "/slow")) } }
        try await Task.sleep(for: .milliseconds(100))
        let closed = await Self.transportError { _ = try await self.perform(self.request(server, "/close")) }
        #expect(closed?.code == 56, "\(String(describing: closed))")
        #expect(await slow.value?.code == 56)
        #expect(try await perform(request(server, "/again")).status == 200)
        #expect(server.accepted == 2)
    }

    @Test func goAwayRerunsUnprocessedStreamsOnANewConnection() async throws {
        let server = try await start { req in
            if req.path == "/goaway" { return .goAwayThen(.json(200, #"{"last":true}"#)) }
            if req.path == "/slow" { try? await Task.sleep(for: .milliseconds(300)) }
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        _ = try await perform(request(server, "/first"))
        // Opened before the GOAWAY (a lower stream id): finishes on the old connection.
        let before = Task { try await self.perform(self.request(server, "/slow")).status }
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await perform(request(server, "/goaway")).status == 200)
        #expect(try await before.value == 200)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<10 { group.addTask { try await self.perform(self.request(server, "/after\(i)")).status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect(server.accepted == 2)
    }
}

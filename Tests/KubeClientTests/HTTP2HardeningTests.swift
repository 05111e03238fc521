import Foundation
import KubeAPI
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import TestSupport
@testable import KubeClient

/// The HTTP/2 client where connections and peers misbehave: a connect that fails at once, a
/// path that goes silent (PING health check), a queued stream's idle timeout, an empty
/// `tls-server-name`, a certificate's subject CN, SIGPIPE, and requests after shutdown.
@Suite(.timeLimit(.minutes(1))) final class HTTP2HardeningTests: Sendable {
    let pki: TestPKI

    init() throws { pki = try TestPKI.make() }
    deinit { pki.remove() }

    func serverTLS(cert: String? = nil, key: String? = nil) throws -> TLSConfiguration {
        try pki.serverTLS(cert: cert, key: key, alpn: ["h2", "http/1.1"])
    }

    /// A test server over HTTP/2 with a certificate issued for this test by the PKI's CA.
    func startServer(certificate name: String, subject: String, ext: String) async throws -> TestServer {
        try pki.issueExtra(name: name, subject: subject, ext: ext)
        return try await TestServer.start(tls: try serverTLS(cert: pki.directory + "/\(name).crt", key: pki.directory + "/\(name).key"),
                                          http2: true) { _ in .json(200, "{}") }
    }
    func get(_ loop: H2Loop, _ url: String, tls: TLSSettings? = nil, timeout: Duration? = .seconds(20),
             idleTimeout: Duration? = nil) async throws -> HTTPResponse {
        let r = HTTPRequest(method: "GET", url: url, timeout: timeout, idleTimeout: idleTimeout,
                            tls: tls ?? TLSSettings(caFile: pki.caCert))
        return try await loop.perform(r, RequestTarget(url: url)!)
    }

    @Test func aConnectThatFailsAtOnceFailsTheRequest() async throws {
        let loop = H2Loop()
        defer { loop.shutdown() }
        // No route to the broadcast address: connect() fails synchronously (ENETUNREACH).
        let e = await HTTP2ClientTests.transportError { _ = try await self.get(loop, "https://255.255.255.255:443/") }
        #expect(e?.code == 7, "\(String(describing: e))")
        #expect(e?.message.hasPrefix("Failed to connect to 255.255.255.255 port 443: ") == true, "\(String(describing: e))")
    }

    @Test func aSilentConnectionIsFoundDeadByPINGAndTheNextRequestReconnects() async throws {
        let server = try await TestServer.start(tls: try serverTLS(), http2: true) { req in
            if req.path == "/watch" { return .stream(status: 200, chunks: AsyncStream { _ in }) }
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        let proxy = try FreezableProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let loop = H2Loop(curl: .shared, health: .init(readIdle: .milliseconds(300), pingTimeout: .milliseconds(400)))
        defer { loop.shutdown() }
        let base = "https://127.0.0.1:\(proxy.port)"
        // A healthy connection answers its PINGs: a quiet watch stays open past several checks.
        #expect(try await get(loop, base + "/first").status == 200)
        let r = HTTPRequest(method: "GET", url: base + "/watch", timeout: nil, tls: TLSSettings(caFile: pki.caCert))
        let ended = AsyncStream<Result<HTTPResponse, TransportFailure>>.makeStream()
        _ = loop.stream(r, RequestTarget(url: r.url)!, onData: { _ in }, onComplete: { ended.continuation.yield($0) })
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await loop.openStreamCount() == 1, "the watch is still open")
        // The path goes silent: the next PING is not answered and the connection fails.
        proxy.freeze()
        var results = ended.stream.makeAsyncIterator()
        let result = await results.next()
        guard case .failure(.curl(let code, let message))? = result else {
            Issue.record("expected a transport failure, got \(String(describing: result))")
            return
        }
        #expect(code == 28)
        #expect(message == "HTTP/2 connection to 127.0.0.1 port \(proxy.port): no answer to PING within 400 milliseconds")
        #expect(try await get(loop, base + "/again").status == 200)
        #expect(proxy.connections == 2)
    }

    /// A TLS server that selects h2 and then says nothing (no SETTINGS): a wedged server or a
    /// TLS-terminating proxy whose upstream is gone.
    func startMuteServer() async throws -> (port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        let context = try NIOSSLContext(configuration: try serverTLS())
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel.localAddress!.port!, group, channel)
    }

    @Test func queuedRequestsEndWhenTheServersSettingsNeverCome() async throws {
        let mute = try await startMuteServer()
        defer { Task { try? await mute.channel.close(); try? await mute.group.shutdownGracefully() } }
        let loop = H2Loop()
        defer { loop.shutdown() }
        let url = "https://127.0.0.1:\(mute.port)/"
        // A watch (no request timeout) queued for the connection ends after its idle timeout…
        let watch = HTTPRequest(method: "GET", url: url, timeout: nil, connectTimeout: .milliseconds(800),
                                idleTimeout: .milliseconds(300), tls: TLSSettings(caFile: pki.caCert))
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
            _ = loop.stream(watch, RequestTarget(url: url)!, onData: { _ in }, onComplete: { c.resume(returning: $0) })
        }
        guard case .failure(.idle(let d)) = result else { Issue.record("expected idle, got \(result)"); return }
        // (That it is the idle timeout that ended it is the bound: no wall-clock assertion — the
        // resumed test waits for a free pool thread, 18.7 s once in a loaded full run.)
        #expect(d == .milliseconds(300))
        // …and the connection itself fails once its set-up budget is spent without SETTINGS.
        let request = HTTPRequest(method: "GET", url: url, timeout: .seconds(30), connectTimeout: .milliseconds(500),
                                  tls: TLSSettings(caFile: pki.caCert))
        let e = await HTTP2ClientTests.transportError { _ = try await loop.perform(request, RequestTarget(url: url)!) }
        #expect(e?.code == 28, "\(String(describing: e))")
        #expect(e?.message.contains("no SETTINGS from the server within") == true, "\(String(describing: e))")
    }

    @Test func anEmptyServerNameStillVerifiesTheHost() async throws {
        // A certificate for another name only: with tls-server-name "" the URL's host
        // (127.0.0.1) is what must match — OpenSSL would skip the check for an empty name.
        let server = try await startServer(certificate: "other", subject: "/CN=127.0.0.1",
                                           ext: "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth")
        defer { Task { try await server.shutdown() } }
        let loop = H2Loop()
        defer { loop.shutdown() }
        var tls = TLSSettings(caFile: pki.caCert)
        tls.serverName = ""
        let e = await HTTP2ClientTests.transportError { _ = try await self.get(loop, server.url + "/", tls: tls) }
        #expect(e?.code == 60, "\(String(describing: e))")
        #expect(e?.message == "SSL: certificate subject name does not match target host name '127.0.0.1'")
        #expect(TLSSettings(serverName: "").serverName == nil)
        // The name the certificate has verifies.
        tls.serverName = "other.example"
        #expect(try await get(loop, server.url + "/", tls: tls).status == 200)
    }

    @Test func aSubjectCommonNameIsNotAHostName() async throws {
        // No subjectAltName: Go and kubectl ignore the CN; so does the client.
        let server = try await startServer(certificate: "cnonly", subject: "/CN=localhost", ext: "extendedKeyUsage=serverAuth")
        defer { Task { try await server.shutdown() } }
        let loop = H2Loop()
        defer { loop.shutdown() }
        let e = await HTTP2ClientTests.transportError {
            _ = try await self.get(loop, server.url + "/", tls: TLSSettings(caFile: self.pki.caCert, serverName: "localhost"))
        }
        #expect(e?.code == 60, "\(String(describing: e))")
    }

    @Test func theLoopThreadBlocksSIGPIPE() async throws {
        let loop = H2Loop()
        defer { loop.shutdown() }
        _ = await loop.connectionCount()  // the thread is running
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        var checked = 0
        for t in tasks {
            guard (try? String(contentsOfFile: "/proc/self/task/\(t)/comm", encoding: .utf8))?.hasPrefix("kube-h2-loop") == true,
                  let status = try? String(contentsOfFile: "/proc/self/task/\(t)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
                  let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { continue }
            #expect(mask & (1 << (UInt64(SIGPIPE) - 1)) != 0, "thread \(t): SigBlk \(line)")
            checked += 1
        }
        #expect(checked >= 1)
    }

    @Test func aRequestAfterShutdownCompletesAsCancelled() async throws {
        let loop = H2Loop()
        _ = await loop.connectionCount()
        loop.shutdown()
        try await Task.sleep(for: .milliseconds(200))
        do {
            _ = try await get(loop, "https://127.0.0.1:1/")
            Issue.record("expected cancellation")
        } catch {
            #expect(error as? TransportFailure == .cancelled)
        }
    }
}

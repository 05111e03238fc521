import Foundation
import KubeAPI
import NIOSSL
import Testing
@testable import KubeClient

/// How a watch ends when the server aborts it after delivering events — an HTTP/2 RST_STREAM, an
/// HTTP/1.1 connection closed mid-response: the events arrive, then the stream throws a transport
/// error with the libcurl code the watcher classifies as "server gone" (KubeRuntime's
/// `WatchFailure.isServerGone`: 16, 18, 52, 55, 56, 92).
@Suite(.timeLimit(.minutes(1))) final class WatchAbortTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.make() }
    deinit { pki.remove() }

    static let serverGoneCodes: Set<Int> = [16, 18, 52, 55, 56, 92]

    static let abortAfterOneEvent: Responder = { _ in
        let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
        continuation.yield(Array(#"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"#.utf8) + [10])
        continuation.finish()
        return .aborted(status: 200, chunks: chunks)
    }

    func watchUntilFailure(_ client: KubeClient) async -> (names: [String], error: KubeError?) {
        var names: [String] = []
        do {
            for try await event in client.watch(Namespace.self, options: WatchOptions(resourceVersion: "1")) {
                if case .added(let ns) = event { names.append(ns.metadata.name ?? "") }
            }
            return (names, nil)
        } catch {
            return (names, error as? KubeError)
        }
    }

    @Test func anHTTP2StreamResetEndsTheWatchWithAServerGoneCode() async throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(pki.serverCert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.serverKey, format: .pem)))
        tls.applicationProtocols = ["h2"]
        let server = try await TestServer.start(tls: tls, http2: true, responder: Self.abortAfterOneEvent)
        defer { Task { try await server.shutdown() } }
        let client = KubeClient(config: KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert)),
                                retryPolicy: .none)
        let (names, error) = await watchUntilFailure(client)
        #expect(names == ["a"])
        guard case .transport(let code, _)? = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(Self.serverGoneCodes.contains(code), "curl \(code): \(String(describing: error))")
    }

    @Test func anHTTP1ConnectionClosedMidResponseEndsTheWatchWithAServerGoneCode() async throws {
        let server = try await TestServer.start(responder: Self.abortAfterOneEvent)
        defer { Task { try await server.shutdown() } }
        let client = KubeClient(config: KubeClientConfig(server: server.url), retryPolicy: .none)
        let (names, error) = await watchUntilFailure(client)
        #expect(names == ["a"])
        guard case .transport(let code, _)? = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(code == 18, "curl \(code): \(String(describing: error))")
    }
}

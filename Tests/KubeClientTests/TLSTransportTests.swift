import Foundation
import KubeAPI
import NIOSSL
import Testing
@testable import KubeClient

@Suite(.timeLimit(.minutes(1))) final class TLSTransportTests {
    let pki: TestPKI

    init() throws { pki = try TestPKI.make() }
    deinit { pki.remove() }

    func serverTLS(requireClientCert: Bool = false, alpn: [String] = []) throws -> TLSConfiguration {
        try pki.serverTLS(requireClientCert: requireClientCert, alpn: alpn)
    }

    static let answer: Responder = { req in
        .json(200, #"{"metadata":{"name":"ok","annotations":{"auth":"\#(req.header("Authorization") ?? "")","proto":"\#(req.httpVersion)"}}}"#)
    }

    func get(_ server: TestServer, _ tls: TLSSettings, credentials: Credentials = .none) async throws -> Namespace {
        let c = KubeClient(config: KubeClientConfig(server: server.url, tls: tls, credentials: credentials), retryPolicy: .none)
        return try await c.get(Namespace.self, name: "ok")
    }

    @Test func verifiesServerWithCAGeneratedAtTestTime() async throws {
        let server = try await TestServer.start(tls: try serverTLS(), responder: Self.answer)
        defer { Task { try await server.shutdown() } }
        #expect(try await get(server, TLSSettings(caData: pki.bytes(pki.caCert))).metadata.name == "ok")
        #expect(try await get(server, TLSSettings(caFile: pki.caCert)).metadata.name == "ok")
        #expect(try await get(server, TLSSettings(insecureSkipVerify: true)).metadata.name == "ok")
        // An unrelated CA (the system store) must not verify our test server.
        await #expect {
            _ = try await get(server, TLSSettings())
        } throws: { error in
            if case .transport(let code, _) = error as? KubeError { return code == 60 }  // CURLE_PEER_FAILED_VERIFICATION
            return false
        }
    }

    @Test func clientCertificateAuthentication() async throws {
        let server = try await TestServer.start(tls: try serverTLS(requireClientCert: true), responder: Self.answer)
        defer { Task { try await server.shutdown() } }
        let withData = TLSSettings(caData: pki.bytes(pki.caCert), clientCertificateData: pki.bytes(pki.clientCert),
                                   clientKeyData: pki.bytes(pki.clientKey))
        #expect(try await get(server, withData).metadata.name == "ok")
        let withFiles = TLSSettings(caFile: pki.caCert, clientCertificateFile: pki.clientCert, clientKeyFile: pki.clientKey)
        #expect(try await get(server, withFiles).metadata.name == "ok")
        await #expect(throws: KubeError.self) {
            _ = try await get(server, TLSSettings(caFile: pki.caCert))
        }
    }

    @Test func negotiatesHTTP2AndMultiplexes() async throws {
        let server = try await TestServer.start(tls: try serverTLS(alpn: ["h2", "http/1.1"]), http2: true, responder: Self.answer)
        defer { Task { try await server.shutdown() } }
        let request = HTTPRequest(method: "GET", url: server.url + "/api/v1/namespaces/ok", tls: TLSSettings(caFile: pki.caCert))
        let response = try await CurlLoop.shared.perform(request)
        #expect(response.status == 200)
        #expect(response.httpVersion == "2")
        let c = KubeClient(config: KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert)))
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await c.get(Namespace.self, name: "ok").metadata.annotations?["proto"] } }
            for try await proto in group { #expect(proto == "2") }
        }
    }

    @Test func inClusterTokenIsReReadFromItsFile() async throws {
        let server = try await TestServer.start(tls: try serverTLS(), responder: Self.answer)
        defer { Task { try await server.shutdown() } }
        let sa = pki.directory + "/sa"
        try FileManager.default.createDirectory(atPath: sa, withIntermediateDirectories: true)
        try "token-one".write(toFile: sa + "/token", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: pki.caCert, toPath: sa + "/ca.crt")
        let clock = ManualClock()
        let config = try KubeClientConfig.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.port)"],
            paths: InClusterPaths(directory: sa), now: { clock.now })
        let c = KubeClient(config: config)
        #expect(try await c.get(Namespace.self, name: "ok").metadata.annotations?["auth"] == "Bearer token-one")
        try "token-two".write(toFile: sa + "/token", atomically: true, encoding: .utf8)
        #expect(try await c.get(Namespace.self, name: "ok").metadata.annotations?["auth"] == "Bearer token-one")
        clock.advance(.seconds(60))
        #expect(try await c.get(Namespace.self, name: "ok").metadata.annotations?["auth"] == "Bearer token-two")
        #expect(config.namespace == "default")
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Where the openssl CLI is, if installed.
enum OpenSSLTool {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// HTTPS: the server serves TLS with a given certificate and writes a kubeconfig that trusts it.
@Suite(.enabled(if: OpenSSLTool.path != nil, "openssl CLI not found (needed to make a test certificate)"))
struct TLSTests {

    /// A self-signed certificate for 127.0.0.1, made with the openssl CLI.
    static func certificate(in dir: URL) throws -> KubeTestServer.TLS {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OpenSSLTool.path ?? "openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", dir.appendingPathComponent("key.pem").path, "-out", dir.appendingPathComponent("cert.pem").path,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let cert = try String(contentsOf: dir.appendingPathComponent("cert.pem"), encoding: .utf8)
        let key = try String(contentsOf: dir.appendingPathComponent("key.pem"), encoding: .utf8)
        return KubeTestServer.TLS(certificateChainPEM: cert, privateKeyPEM: key, caPEM: cert)
    }

    @Test func clientTrustsTheKubeconfigCAAndWatchesOverTLS() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let server = try await KubeTestServer.start(tls: try Self.certificate(in: dir))
        #expect(server.url.hasPrefix("https://127.0.0.1:"))
        let client = try KubeClient.load(kubeconfigPath: try server.writeKubeconfig(to: dir.appendingPathComponent("kubeconfig").path))
        let namespaces = try await client.list(ConformanceTarget.namespaces)
        #expect((namespaces["items"]?.arrayValue ?? []).contains { $0[path: ["metadata", "name"]] == "default" })
        var events = client.watch(ConformanceTarget.configMaps, namespace: "default",
                                  options: WatchOptions(fieldSelector: "metadata.name=over-tls", allowWatchBookmarks: false,
                                                        timeoutSeconds: 30)).makeAsyncIterator()
        _ = try await client.create(ConformanceTarget.configMaps, namespace: "default",
                                    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "over-tls"]])
        guard case .added(let o)? = try await events.next() else {
            Issue.record("expected ADDED over TLS")
            return
        }
        #expect(o[path: ["metadata", "name"]] == "over-tls")
        try await server.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}

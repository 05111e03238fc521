import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// `KubeTestServer.TLS.selfSigned()`: an in-process certificate that KubeClient (libcurl/OpenSSL)
/// and kubectl (Go crypto/tls) both accept through the kubeconfig's CA, so bearer tokens flow.
struct SelfSignedTLSTests {
    @Test func certificatesAreFreshAndPEM() throws {
        let a = try KubeTestServer.TLS.selfSigned()
        let b = try KubeTestServer.TLS.selfSigned()
        #expect(a.certificateChainPEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(a.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(a.caPEM == a.certificateChainPEM)
        #expect(a.certificateChainPEM != b.certificateChainPEM && a.privateKeyPEM != b.privateKeyPEM)
    }

    @Test func kubeClientAndKubectlTrustItAndAuthenticate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("selfsigned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await KubeTestServer.start(tls: try .selfSigned())
        do {
            #expect(server.url.hasPrefix("https://127.0.0.1:"))
            let kubeconfig = try server.writeKubeconfig(to: dir.appendingPathComponent("kubeconfig").path)
            let client = try KubeClient.load(kubeconfigPath: kubeconfig)
            let created = try await client.create(ConformanceTarget.configMaps, namespace: "default",
                                                  ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "self-signed"]])
            #expect(created[path: ["metadata", "name"]] == "self-signed")
            if let kubectl = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
                .map({ "\($0)/kubectl" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: kubectl)
                process.arguments = ["--kubeconfig", kubeconfig, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
                // Authenticated as the admin of the kubeconfig, not system:anonymous: the token went over TLS.
                #expect(String(decoding: data, as: UTF8.self) == "kubernetes-admin")
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }
}

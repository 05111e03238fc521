import Foundation
import Synchronization
import KubeAPI
import Testing
@testable import KubeClient

@Suite final class KubeConfigTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "kubeconfig-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/sub/certs", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func mergesFilesFirstWins() throws {
        let a = try write("a.yaml", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: shared
              cluster: {server: "https://a.example:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: ctx-a
              context: {cluster: shared, user: alice, namespace: team-a}
            users:
            - name: alice
              user: {token: token-a}
            """)
        let b = try write("b.yaml", """
            current-context: ctx-b
            clusters:
            - name: shared
              cluster: {server: "https://b.example:6443"}
            - name: only-b
              cluster: {server: "https://only-b.example"}
            contexts:
            - name: ctx-b
              context: {cluster: only-b, user: alice}
            users:
            - name: alice
              user: {token: token-b}
            """)
        let merged = try KubeConfig.load(paths: [a, b])
        #expect(merged.currentContext == "ctx-b")
        #expect(merged.contextNames == ["ctx-a", "ctx-b"])
        let current = try merged.clientConfig()
        #expect(current.server == "https://only-b.example")
        #expect(current.namespace == "default")
        guard case .token(let t) = current.credentials else { Issue.record("no token"); return }
        #expect(t == "token-a")  // user "alice" from the first file wins
        let other = try merged.clientConfig(context: "ctx-a")
        #expect(other.server == "https://a.example:6443")
        #expect(other.namespace == "team-a")
        #expect(other.tls.insecureSkipVerify)
        #expect(!"\(other)".contains("token-a"))
    }

    @Test func kubeconfigEnvironmentListSkipsMissingFiles() throws {
        let a = try write("env.yaml", """
            current-context: c
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:1"}}]
            contexts: [{name: c, context: {cluster: k}}]
            """)
        let config = try KubeClientConfig.fromEnvironment(environment: ["KUBECONFIG": "\(dir)/missing.yaml:\(a)"])
        #expect(config.server == "http://127.0.0.1:1")
        let explicit = try KubeClientConfig.fromEnvironment(kubeconfigPath: a, environment: ["KUBECONFIG": "/nonexistent"])
        #expect(explicit.server == "http://127.0.0.1:1")
    }

    @Test func dataAndRelativeFilePaths() throws {
        try "CA".write(toFile: dir + "/sub/certs/ca.crt", atomically: true, encoding: .utf8)
        try "CERT".write(toFile: dir + "/sub/certs/client.crt", atomically: true, encoding: .utf8)
        try "KEY".write(toFile: dir + "/sub/certs/client.key", atomically: true, encoding: .utf8)
        try "file-token\n".write(toFile: dir + "/sub/token", atomically: true, encoding: .utf8)
        let path = try write("sub/config", """
            current-context: files
            clusters:
            - name: files
              cluster:
                server: https://k.example
                certificate-authority: certs/ca.crt
            - name: data
              cluster:
                server: https://k.example
                certificate-authority-data: \(Data("CA-DATA".utf8).base64EncodedString())
            users:
            - name: files
              user: {client-certificate: certs/client.crt, client-key: certs/client.key, tokenFile: token}
            - name: data
              user:
                client-certificate-data: \(Data("CERT-DATA".utf8).base64EncodedString())
                client-key-data: \(Data("KEY-DATA".utf8).base64EncodedString())
            contexts:
            - {name: files, context: {cluster: files, user: files}}
            - {name: data, context: {cluster: data, user: data}}
            """)
        let files = try KubeConfig.load(paths: [path]).clientConfig()
        #expect(files.tls.caFile == dir + "/sub/certs/ca.crt")
        #expect(files.tls.clientCertificateFile == dir + "/sub/certs/client.crt")
        #expect(files.tls.clientKeyFile == dir + "/sub/certs/client.key")
        guard case .tokenFile(let tf) = files.credentials else { Issue.record("expected tokenFile"); return }
        #expect(tf.path == dir + "/sub/token")
        #expect(try tf.current() == "file-token")

        let data = try KubeConfig.load(paths: [path]).clientConfig(context: "data")
        #expect(data.tls.caData == Array("CA-DATA".utf8))
        #expect(data.tls.clientCertificateData == Array("CERT-DATA".utf8))
        #expect(data.tls.clientKeyData == Array("KEY-DATA".utf8))
    }

    @Test func brokenYAMLReportsLineAndColumn() throws {
        let path = try write("broken.yaml", "clusters:\n- name: a\n  cluster: {server: \"https://x\"\n")
        #expect {
            _ = try KubeConfig.load(paths: [path])
        } throws: { error in
            guard let e = error as? KubeConfigError else { return false }
            return e.file == path && e.mark != nil && e.mark!.line >= 3 && "\(e)".contains("line")
        }
    }

    @Test func wrongFieldTypeNamesFileFieldAndPosition() throws {
        let path = try write("types.yaml", """
            clusters:
            - name: k
              cluster:
                server: https://k.example
                insecure-skip-tls-verify: maybe
            """)
        do {
            _ = try KubeConfig.load(paths: [path])
            Issue.record("expected an error")
        } catch {
            #expect(error.file == path)
            #expect(error.field == "clusters[k].cluster.insecure-skip-tls-verify")
            #expect(error.mark == YAMLMark(line: 5, column: 31))
        }
    }

    @Test func missingReferencesAreExplained() throws {
        let path = try write("refs.yaml", """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k"}}]
            contexts: [{name: c, context: {cluster: k, user: ghost}}]
            """)
        let config = try KubeConfig.load(paths: [path])
        #expect(throws: KubeConfigError.self) { try config.clientConfig() }
        do { _ = try config.clientConfig() } catch { #expect(error.message.contains("ghost")) }
        do { _ = try config.clientConfig(context: "nope") } catch { #expect(error.message.contains("nope")) }
    }

    @Test func inClusterConfigReadsServiceAccountFiles() throws {
        let sa = dir + "/sa"
        try FileManager.default.createDirectory(atPath: sa, withIntermediateDirectories: true)
        try "tok-1".write(toFile: sa + "/token", atomically: true, encoding: .utf8)
        try "CA".write(toFile: sa + "/ca.crt", atomically: true, encoding: .utf8)
        try "codex-system\n".write(toFile: sa + "/namespace", atomically: true, encoding: .utf8)
        let env = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try KubeClientConfig.fromEnvironment(environment: env, inClusterPaths: InClusterPaths(directory: sa))
        #expect(config.server == "https://10.0.0.1:443")
        #expect(config.namespace == "codex-system")
        #expect(config.tls.caFile == sa + "/ca.crt")
        let v6 = try KubeClientConfig.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
                                                paths: InClusterPaths(directory: sa))
        #expect(v6.server == "https://[fd00::1]:6443")
        #expect(throws: KubeConfigError.self) {
            try KubeClientConfig.inCluster(environment: [:], paths: InClusterPaths(directory: sa))
        }
    }

    @Test func tokenFileIsReReadAfterTheRefreshInterval() throws {
        let path = try write("rotating-token", "first")
        let clock = ManualClock()
        let token = TokenFile(path: path, refreshInterval: .seconds(60), now: { clock.now })
        #expect(try token.current() == "first")
        try "second".write(toFile: path, atomically: true, encoding: .utf8)
        clock.advance(.seconds(59))
        #expect(try token.current() == "first")
        clock.advance(.seconds(1))
        #expect(try token.current() == "second")
        try FileManager.default.removeItem(atPath: path)
        clock.advance(.seconds(61))
        #expect(try token.current() == "second")  // keeps the last good token
    }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let state: Mutex<ContinuousClock.Instant>
    init() { state = Mutex(ContinuousClock.now) }
    var now: ContinuousClock.Instant { state.withLock { $0 } }
    func advance(_ d: Duration) { state.withLock { $0 = $0.advanced(by: d) } }
}


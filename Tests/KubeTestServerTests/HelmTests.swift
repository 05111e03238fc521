import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// helm (v4) against the server: install, list, upgrade, uninstall. Helm stores releases as
/// Secrets through a typed (protobuf) client, which exercises `ProtobufBody`.
@Suite(.enabled(if: Kubectl.helmPath != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct HelmTests {
    /// Runs helm to completion without blocking a cooperative-pool thread (termination handler).
    static func helm(_ f: Fixture, _ kubeconfig: String, _ args: [String]) async throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Kubectl.helmPath ?? "helm")
        p.arguments = args + ["--kubeconfig", kubeconfig, "-n", "default"]
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = f.directory.path
        env["HELM_CACHE_HOME"] = f.directory.appendingPathComponent("cache").path
        env["HELM_CONFIG_HOME"] = f.directory.appendingPathComponent("config").path
        env["HELM_DATA_HOME"] = f.directory.appendingPathComponent("data").path
        p.environment = env
        let outPath = f.directory.appendingPathComponent("helm-\(UUID().uuidString).out").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = p.standardOutput
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            p.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch { continuation.resume(throwing: error) }
        }
        return (status, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
    }

    static func writeChart(_ dir: URL, value: String) throws -> String {
        let chart = dir.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: demo\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-cm\ndata:\n  value: \"\(value)\"\n"
            .write(to: chart.appendingPathComponent("templates/cm.yaml"), atomically: true, encoding: .utf8)
        return chart.path
    }

    @Test func installUpgradeUninstall() async throws {
        let f = try await Fixture.start()
        let kubeconfig = try f.server.writeKubeconfig(to: f.directory.appendingPathComponent("kubeconfig").path)
        let configMaps = try #require(f.server.store.resourceType(group: "", version: "v1", plural: "configmaps"))
        let secrets = try #require(f.server.store.resourceType(group: "", version: "v1", plural: "secrets"))
        let install = try await Self.helm(f, kubeconfig, ["install", "demo", try Self.writeChart(f.directory, value: "1")])
        #expect(install.0 == 0, "\(install.1)")
        #expect(try f.server.store.get(configMaps, namespace: "default", name: "demo-cm")[path: ["data", "value"]] == "1")
        let release = try f.server.store.list(WatchFilter(type: secrets, namespace: "default",
                                                          labels: LabelSelector(parsing: "owner=helm,name=demo")))
        #expect(release.items.count == 1)
        #expect(release.items.first?["type"] == "helm.sh/release.v1")
        let list = try await Self.helm(f, kubeconfig, ["list"])
        #expect(list.1.contains("demo") && list.1.contains("deployed"), "\(list.1)")
        let upgrade = try await Self.helm(f, kubeconfig, ["upgrade", "demo", try Self.writeChart(f.directory, value: "2")])
        #expect(upgrade.0 == 0, "\(upgrade.1)")
        #expect(try f.server.store.get(configMaps, namespace: "default", name: "demo-cm")[path: ["data", "value"]] == "2")
        let uninstall = try await Self.helm(f, kubeconfig, ["uninstall", "demo"])
        #expect(uninstall.0 == 0, "\(uninstall.1)")
        #expect(throws: APIError.self) { try f.server.store.get(configMaps, namespace: "default", name: "demo-cm") }
        try await f.close()
    }
}

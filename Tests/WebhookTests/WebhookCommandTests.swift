import Foundation
import Testing

/// `codex-k8s webhook` as the binary.
@Suite struct WebhookCommandTests {
    static var codexK8s: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("codex-k8s").path
    }

    static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, err: String) {
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-cmd-\(UUID().uuidString).err").path
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: codexK8s)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errPath)
        let status: Int32 = try await withCheckedThrowingContinuation { c in
            process.terminationHandler = { c.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { c.resume(throwing: error) }
        }
        return (status, (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    @Test func refusesToStartWithoutASecret() async throws {
        let r = try await Self.run(["webhook", "--listen", "127.0.0.1:0"], environment: ["CODEX_K8S_WEBHOOK_SECRET": ""])
        #expect(r.status == 1)
        let lines = r.err.split(separator: "\n")
        #expect(lines.count == 1, "\(r.err)")
        #expect(r.err.contains("no webhook secret configured") && r.err.contains("CODEX_K8S_WEBHOOK_SECRET"), "\(r.err)")
    }

    @Test func badListenAddressAndConfigAreOneLineErrors() async throws {
        let listen = try await Self.run(["webhook", "--listen", "nowhere"], environment: ["CODEX_K8S_WEBHOOK_SECRET": "s"])
        #expect(listen.status == 1 && listen.err.contains("--listen must be host:port"), "\(listen.err)")
        let config = try await Self.run(["webhook", "--config", "/nonexistent/config.yaml"], environment: ["CODEX_K8S_WEBHOOK_SECRET": "s"])
        #expect(config.status == 1 && config.err.contains("/nonexistent/config.yaml"), "\(config.err)")
    }
}

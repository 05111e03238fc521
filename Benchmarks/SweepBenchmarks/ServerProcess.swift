import Foundation
import TestSupport
import Testing // the default source locations of TestSupport's waits

/// `kube-test-server` (the KubeTestServer in a process of its own, next to this executable), so the
/// CPU and memory this process measures are the sweeper's alone. Talks to it over stdin/stdout
/// (TestSupport's `ChildProcess`): `reset` clears its request log, `requests` returns the counts.
final class ServerProcess: Sendable {
    let child: ChildProcess
    let kubeconfig: String

    init(directory: URL) async throws {
        // KUBE_TEST_SERVER names another build of it (the server's speed changes wall time, not the CPU measured here).
        let binary = ProcessInfo.processInfo.environment["KUBE_TEST_SERVER"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kube-test-server").path
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        child = try ChildProcess(binary, ["--port", "0", "--kubeconfig", kubeconfig], stdin: true)
        guard let ready = await child.line(where: { _ in true }), ready.hasPrefix("ready ") else {
            child.kill()
            throw ServerProcessError(message: "kube-test-server did not start\n\(child.transcript)")
        }
    }

    func reset() async { _ = await child.command("reset") }

    /// Requests since the last reset: total and `verb resource[/subresource]: count`, for the sweep's client only.
    func requests() async -> (total: Int, summary: String) {
        guard let reply = await child.command("requests"), reply.hasPrefix("requests "),
              let doc = try? JSONSerialization.jsonObject(with: Data(reply.dropFirst("requests ".count).utf8)) as? [String: Any],
              let rows = doc["requests"] as? [[String: Any]] else { return (-1, "unreadable") }
        var total = 0
        var parts: [String] = []
        for row in rows {
            let count = row["count"] as? Int ?? 0
            total += count
            let sub = (row["subresource"] as? String).map { "/\($0)" } ?? ""
            parts.append("\(row["verb"] as? String ?? "") \(row["resource"] as? String ?? "")\(sub): \(count)")
        }
        return (total, parts.sorted().joined(separator: ", "))
    }

    func stop() async {
        _ = await child.command("stop")
        _ = await child.exitStatus()
    }
}

struct ServerProcessError: Error { var message: String }

import Foundation

/// `kube-test-server` (the KubeTestServer in a process of its own, next to this executable), so the
/// CPU and memory this process measures are the sweeper's alone. Talks to it over stdin/stdout:
/// `reset` clears its request log, `requests` returns the counts.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer = Data()
    let kubeconfig: String

    init(directory: URL) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kube-test-server")
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        process.executableURL = binary
        process.arguments = ["--port", "0", "--kubeconfig", kubeconfig]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        guard let ready = line(), ready.hasPrefix("ready ") else { throw ServerProcessError(message: "kube-test-server did not start") }
    }

    /// The next line on the server's stdout (blocking).
    func line() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                return text
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func send(_ command: String) -> String? {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        return line()
    }

    func reset() { _ = send("reset") }

    /// Requests since the last reset: total and `verb resource[/subresource]: count`, for the sweep's client only.
    func requests() -> (total: Int, summary: String) {
        guard let reply = send("requests"), reply.hasPrefix("requests "),
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

    func stop() {
        _ = send("stop")
        process.waitUntilExit()
    }
}

struct ServerProcessError: Error { var message: String }

import Foundation
import Testing

/// One run of the built `codex-k8s` binary to its exit: status, output lines, wall time.
struct BinaryRun: CustomStringConvertible {
    var status: Int32
    var stdout: [String]
    var stderr: [String]
    var seconds: Double

    /// The path of the `codex-k8s` binary next to the test bundle (built by `swift build --build-tests`).
    static func binary() throws -> String {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("codex-k8s").path
        try #require(FileManager.default.isExecutableFile(atPath: path),
                     "build the codex-k8s executable first (swift build --build-tests): \(path)")
        return path
    }

    /// Runs `codex-k8s arguments…` (without `CODEX_K8S_DATABASE_URL` unless `environment` sets it).
    static func codexK8s(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
        let started = ContinuousClock.now
        let child = try ChildProcess(try binary(), arguments, environment: environment)
        async let out = child.stdoutLines.collect()
        async let err = child.stderrLines.collect()
        let (stdout, stderr) = await (out, err)
        let status = await child.exitStatus()
        let elapsed = ContinuousClock.now - started
        return BinaryRun(status: status, stdout: stdout, stderr: stderr,
                         seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    var description: String {
        "exit \(status) after \(seconds) s\nstdout: \(stdout.joined(separator: "\n"))\nstderr: \(stderr.joined(separator: "\n"))"
    }
}

extension AsyncStream where Element == String {
    /// Every line until the stream ends.
    fileprivate func collect() async -> [String] {
        var lines: [String] = []
        for await line in self { lines.append(line) }
        return lines
    }
}

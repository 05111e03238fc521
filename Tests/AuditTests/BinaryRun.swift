import Foundation
import Testing
import TestSupport

/// One run of the built `codex-k8s` binary to its exit: status, output lines, wall time.
struct BinaryRun: CustomStringConvertible {
    var status: Int32
    var stdout: [String]
    var stderr: [String]
    var seconds: Double

    /// The path of the `codex-k8s` binary next to the test bundle (built by `swift build --build-tests`).
    static func binary() throws -> String {
        let path = Command.codexK8s
        try #require(FileManager.default.isExecutableFile(atPath: path),
                     "build the codex-k8s executable first (swift build --build-tests): \(path)")
        return path
    }

    /// Runs `codex-k8s arguments…` (without `CODEX_K8S_DATABASE_URL` unless `environment` sets it),
    /// bounded as `Command.run` bounds it.
    static func codexK8s(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
        let started = ContinuousClock.now
        let run = try await Command.run(try binary(), arguments, environment: environment, unsetting: ["CODEX_K8S_DATABASE_URL"])
        let elapsed = ContinuousClock.now - started
        return BinaryRun(status: run.status, stdout: lines(run.out), stderr: lines(run.err),
                         seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// `text` as lines without their newlines (a last unterminated line counts; an empty text has none).
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var description: String {
        "exit \(status) after \(seconds) s\nstdout: \(stdout.joined(separator: "\n"))\nstderr: \(stderr.joined(separator: "\n"))"
    }
}

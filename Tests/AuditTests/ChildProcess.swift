import Foundation
import PostgresTestServer

/// A child process whose stdout and stderr arrive as streams of lines.
final class ChildProcess: Sendable {
    let stdoutLines: AsyncStream<String>
    let stderrLines: AsyncStream<String>
    private let pid: pid_t

    /// Starts `executable` without `CODEX_K8S_DATABASE_URL` in its environment, plus `environment`.
    init(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw POSIXError(.EMFILE) }
        // Close-on-exec, so no other child started meanwhile keeps a write end open (no EOF).
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "CODEX_K8S_DATABASE_URL" }
            .merging(extra) { $1 }
        pid = try Spawn.start(executable, arguments, stdout: out[1], stderr: err[1], environment: environment)
        close(out[1])
        close(err[1])
        stdoutLines = Self.lines(of: out[0])
        stderrLines = Self.lines(of: err[0])
    }

    /// Sends SIGTERM and waits for the exit (`waitpid` on a thread of its own, off the pool).
    func terminate() async {
        kill(pid, SIGTERM)
        let pid = self.pid
        _ = try? await onThread { Spawn.wait(pid) }
    }

    /// Waits for the exit without signalling; returns the exit status (128+signal when killed).
    func exitStatus() async -> Int32 {
        let pid = self.pid
        return (try? await onThread { Spawn.wait(pid) }) ?? -1
    }

    /// Reads `fd` on its own thread until EOF, yielding complete lines.
    private static func lines(of fd: Int32) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        Spawn.readLines(fd, onLine: { continuation.yield($0) }, onEnd: { continuation.finish() })
        return stream
    }
}

import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion off the cooperative pool, for at most a bounded time.
/// stdin/stdout/stderr are /dev/null and temporary files, not pipes, so nothing can withhold an
/// EOF. Shared by the test targets that run programs (the binary, kubectl, helm).
public enum Command {
    public struct Result: Sendable {
        public var status: Int32
        public var out: String
        public var err: String
    }

    /// The `codex-k8s` executable next to the test bundle (built by `swift build --build-tests`).
    public static var codexK8s: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("codex-k8s").path
    }

    /// kubectl from the repository's tools/bin, then PATH; nil when not installed.
    public static let kubectl: String? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [repo.appendingPathComponent("tools/bin/kubectl").path]
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/kubectl" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `executable` to its end (started as `ChildSpawn` starts children: default signal
    /// actions, only stdin/stdout/stderr inherited). Bounded: after `timeout` the program is
    /// SIGKILLed, a test failure is recorded with what it wrote so far, and the result has status -1.
    /// `environment` is merged over this process's, without the variables named in `unsetting`.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           unsetting: Set<String> = [], timeout: Duration = .seconds(300)) async throws -> Result {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        defer { for path in [outPath, errPath] { try? FileManager.default.removeItem(atPath: path) } }
        let fds = [open("/dev/null", O_RDONLY | O_CLOEXEC), open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600),
                   open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)]
        defer { for fd in fds where fd >= 0 { close(fd) } }
        guard fds.allSatisfy({ $0 >= 0 }) else { throw ChildSpawnError("cannot open the files of \(executable)") }
        let pid = try ChildSpawn.start(executable, arguments, environment: ChildSpawn.environment(environment, unsetting: unsetting),
                                       directory: nil, stdin: fds[0], stdout: fds[1], stderr: fds[2])
        // `timedOut`: the deadline passed, perhaps before the wait below registered (it then ends at once).
        let exited = Mutex<(status: Int32?, continuation: CheckedContinuation<Int32?, Never>?, timedOut: Bool)>((nil, nil, false))
        Thread.detachNewThread {
            ChildSpawn.awaitExit(pid)
            let (status, waiter) = exited.withLock { e in
                // Reaped under the lock, so the timer's `kill` reaches only this child (or its zombie).
                let status = ChildSpawn.wait(pid)
                e.status = status
                defer { e.continuation = nil }
                return (status, e.continuation)
            }
            waiter?.resume(returning: status)
        }
        let timer = WallTimer(after: timeout) {
            exited.withLock { e in
                if e.status == nil { kill(pid, SIGKILL) } // under the lock: not yet reaped, so the pid is still ours
                e.timedOut = e.status == nil
                defer { e.continuation = nil }
                return e.continuation
            }?.resume(returning: nil)
        }
        defer { timer.cancel() }
        let status = await withCheckedContinuation { (c: CheckedContinuation<Int32?, Never>) in
            let now = exited.withLock { e -> Int32?? in
                if e.timedOut { return .some(nil) }
                if let status = e.status { return .some(status) }
                e.continuation = c
                return .none
            }
            if let now { c.resume(returning: now) }
        }
        let result = Result(status: status ?? -1, out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                            err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        if status == nil {
            let message = "\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout); killed\n"
                + "--- stdout:\n\(result.out.suffix(4000))\n--- stderr:\n\(result.err.suffix(4000))"
            Issue.record(Comment(rawValue: message))
        }
        return result
    }
}

import Foundation
import KubeTestServer

/// Runs the real kubectl against a test server (found on PATH or in the repository's tools/bin).
struct Kubectl {
    let executable: String
    let kubeconfig: String

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// kubectl's path, or nil when it is not installed (tests then skip with a message).
    static let path: String? = tool("kubectl")

    /// helm next to kubectl (the repository's tools/bin, then PATH).
    static let helmPath: String? = tool("helm")

    /// The repository's tools/bin first (the pinned 1.35 tools), then PATH.
    static func tool(_ name: String) -> String? {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [repo.appendingPathComponent("tools/bin/\(name)").path]
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(server: KubeTestServer, directory: URL) throws {
        executable = Kubectl.path ?? "kubectl"
        kubeconfig = try server.writeKubeconfig(to: directory.appendingPathComponent("kubeconfig").path)
    }

    /// Runs kubectl to completion. stdin, stdout and stderr are temporary files, not pipes: a pipe
    /// end inherited by a concurrently spawned process (tests run in parallel) would withhold EOF
    /// and hang both processes.
    func run(_ args: [String], stdin: String? = nil) async throws -> Result {
        let base = kubeconfig + "-\(UUID().uuidString)"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        try (stdin ?? "").write(toFile: inPath, atomically: false, encoding: .utf8)
        for path in [outPath, errPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        defer { for path in [inPath, outPath, errPath] { try? FileManager.default.removeItem(atPath: path) } }
        let process = makeProcess(args)
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, out: out, err: err)
    }

    /// Starts a long-running kubectl (`get -w`) whose output lines arrive on `lines`.
    func start(_ args: [String]) throws -> (Process, AsyncStream<String>) {
        let process = makeProcess(args)
        let outPipe = Pipe()
        // Close-on-exec for both ends, so a process that a parallel test spawns at the same moment
        // cannot inherit the write end and withhold EOF from the reader once kubectl exits (the
        // reader would then hang instead of reporting a short output). kubectl's own stdout is a
        // dup2 of the write end, which clears the flag.
        for fd in [outPipe.fileHandleForReading.fileDescriptor, outPipe.fileHandleForWriting.fileDescriptor] {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outPipe
        process.standardError = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let handle = outPipe.fileHandleForReading
        try process.run()
        Thread.detachNewThread {
            var pending = ""
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let nl = pending.firstIndex(of: "\n") {
                    continuation.yield(String(pending[..<nl]))
                    pending = String(pending[pending.index(after: nl)...])
                }
            }
            if !pending.isEmpty { continuation.yield(pending) }
            continuation.finish()
        }
        return (process, stream)
    }

    private func makeProcess(_ args: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--kubeconfig", kubeconfig, "--request-timeout=30s"] + args
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        env["HOME"] = kubeconfig + ".home"
        process.environment = env
        return process
    }
}

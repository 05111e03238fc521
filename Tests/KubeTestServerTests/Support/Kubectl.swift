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

    /// Runs kubectl to completion; `stdin` is piped in when given.
    func run(_ args: [String], stdin: String? = nil) async throws -> Result {
        let process = makeProcess(args)
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        if stdin != nil { process.standardInput = inPipe }
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let (out, err) = await Task.detached {
            (outPipe.fileHandleForReading.readDataToEndOfFile(), errPipe.fileHandleForReading.readDataToEndOfFile())
        }.value
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: out, as: UTF8.self),
                      err: String(decoding: err, as: UTF8.self))
    }

    /// Starts a long-running kubectl (`get -w`) whose output lines arrive on `lines`.
    func start(_ args: [String]) throws -> (Process, AsyncStream<String>) {
        let process = makeProcess(args)
        let outPipe = Pipe()
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

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A long-running child process (the `codex-k8s` binary, a `kubectl … -w`) whose stdout lines
/// arrive on a stream; stderr goes to a temporary file, kept for failure messages.
///
/// Contract: `lines` is a single stream, consumed by one reader at a time (`line(where:)` takes
/// lines from it up to the match). The process is NOT stopped when this object goes away: callers
/// stop it themselves (`kill()` in a `defer`, so a failing test leaves no orphan behind).
/// Shared by the test targets that run programs as children (OperatorTests, PlaygroundTests,
/// EndToEndTests); `Command` runs a program to completion instead.
public final class ChildProcess: Sendable {
    public let process: Process
    public let lines: AsyncStream<String>
    /// The child's stdin when started with `stdin: true` (close it for EOF); nil otherwise.
    public let input: FileHandle?
    /// The file stderr is written to.
    public let stderr: URL

    /// Starts `executable` with `arguments`; `environment` is merged over this process's environment.
    /// With `stdin: true` the child reads a pipe written through `input`/`command(_:)`, else /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                directory: URL? = nil, stdin: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        stderr = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderr.path)
        let stdinPipe = stdin ? Pipe() : nil
        process.standardInput = stdinPipe ?? FileHandle.nullDevice
        input = stdinPipe?.fileHandleForWriting
        let (lines, continuation) = AsyncStream<String>.makeStream()
        let buffer = Mutex(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let complete = buffer.withLock { b -> [String] in
                b.append(chunk)
                var out: [String] = []
                while let i = b.firstIndex(of: UInt8(ascii: "\n")) {
                    out.append(String(decoding: b[b.startIndex..<i], as: UTF8.self))
                    b.removeSubrange(b.startIndex...i)
                }
                return out
            }
            for line in complete { continuation.yield(line) }
        }
        self.process = process
        self.lines = lines
        try process.run()
    }

    /// The `codex-k8s` binary with `arguments`.
    public convenience init(codexK8s arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(Command.codexK8s, arguments, environment: environment)
    }

    /// The first stdout line (from here on) for which `match` holds; nil when stdout ends first
    /// (or the waiting task is cancelled).
    public func line(where match: (String) -> Bool) async -> String? {
        for await line in lines where match(line) { return line }
        return nil
    }

    /// Writes `text` and a newline to stdin (the child must have been started with `stdin: true`)
    /// and returns the next stdout line.
    public func command(_ text: String) async -> String? {
        input?.write(Data((text + "\n").utf8))
        return await line { _ in true }
    }

    /// The first stdout line (from here on) containing `text`.
    public func line(containing text: String) async -> String? {
        await line { $0.contains(text) }
    }

    /// What the child wrote to stderr so far.
    public var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    public var pid: pid_t { process.processIdentifier }

    /// Sends `signal` (default SIGKILL) if the child still runs; safe to call more than once and
    /// from a `defer`.
    public func kill(_ signal: Int32 = SIGKILL) {
        guard process.isRunning else { return }
        sendSignal(signal, to: process.processIdentifier)
    }

    /// Starts a small shell that SIGKILLs the child once this (the test) process is gone, so not even
    /// a test runner killed by a CI timeout leaves the child behind; it ends with the child.
    public func killWithParent() throws {
        let script = "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(pid) 2>/dev/null; do sleep 1; done; "
            + "kill -0 \(getpid()) 2>/dev/null || kill -9 \(pid) 2>/dev/null"
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    /// Waits for the exit (off the cooperative pool) and returns the termination status.
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { c in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// Runs a command to its end; returns (status, stdout).
    public static func output(_ executable: String, _ arguments: [String],
                              environment: [String: String] = [:]) async throws -> (Int32, String) {
        let child = try ChildProcess(executable, arguments, environment: environment)
        var out = ""
        for await line in child.lines { out += line + "\n" }
        return (await child.exitStatus(), out)
    }
}

/// `kill(2)`, outside the type whose `kill(_:)` would shadow it.
private func sendSignal(_ signal: Int32, to pid: pid_t) {
    #if canImport(Glibc)
    _ = Glibc.kill(pid, signal)
    #else
    _ = Darwin.kill(pid, signal)
    #endif
}

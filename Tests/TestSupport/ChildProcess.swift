import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child process (the `codex-k8s` binary, a `kubectl … -w`) whose stdout lines are
/// read as they come; stderr goes to a temporary file, kept for failure messages.
///
/// Contract:
/// - Every wait is bounded and cancellable: `line(…)`, `command(_:)`, `remainingLines(…)` and
///   `exitStatus(…)` end at their `timeout` (default `defaultTimeout`), at EOF or exit, or when the
///   waiting task is cancelled. A timeout records a test failure (`Issue`) naming what was awaited,
///   with the child's recent stdout and its stderr (`transcript`), and returns nil — it never hangs CI.
/// - stdout has one reader at a time; a wait that ends without a line loses nothing, the next wait
///   continues from the same place.
/// - The process is NOT stopped when this object goes away: callers stop it themselves (`kill()` in
///   a `defer`, so a failing test leaves no orphan behind).
/// - The child starts with default signal actions, inherits no descriptor but 0, 1 and 2, and leads
///   its own process group (`ChildSpawn`).
///
/// Shared by the test targets that run programs as children (OperatorTests, PlaygroundTests,
/// EndToEndTests, KubeTestServerTests) and by the benchmarks that drive `kube-test-server`, the
/// operator or the webhook adapter (outside a test a timeout's `Issue` fails no test, so they check
/// the nil the wait returns); `Command` runs a program to completion instead.
public final class ChildProcess: Sendable {
    /// The default bound of every wait: generous (a loaded 2-core machine), only there to turn a hang into a failure.
    public static let defaultTimeout: Duration = .seconds(300)

    public let pid: pid_t
    /// The child's stdin when started with `stdin: true` (close it for EOF); nil otherwise (/dev/null).
    public let input: FileHandle?
    /// The file stderr is written to.
    public let stderr: URL
    /// `executable arguments…`, for messages.
    public let commandLine: String
    private let output = ChildOutput()
    /// stderr's lines, when started with `stderrLines: true`.
    private let errors: ChildOutput?
    private let exit = ExitState()

    /// The exit status once reaped, the tasks waiting for it, and the waits whose deadline passed
    /// before they registered.
    private final class ExitState: Sendable {
        struct State {
            var status: Int32?
            var waiters: [UInt64: CheckedContinuation<Int32?, Never>] = [:]
            var ids: UInt64 = 0
            var expired: Set<UInt64> = []
        }
        let state = Mutex(State())
        func withLock<R>(_ body: (inout State) -> R) -> R {
            state.withLock { body(&$0) }
        }
    }

    /// Starts `executable` with `arguments`; `environment` is merged over this process's environment.
    /// With `stdin: true` the child reads a pipe written through `input`/`command(_:)`, else /dev/null.
    /// With `stdoutFile` stdout is written to that file instead (a long log a benchmark keeps), and
    /// the line waits see EOF at once; stderr goes to `stderrFile`, by default a temporary file
    /// (with `stderrLines: true` through a pipe, so `errorLine(…)` can wait for its lines too).
    /// The variables named in `unsetting` are removed from the inherited environment.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], unsetting: Set<String> = [],
                directory: URL? = nil, stdin: Bool = false, stdoutFile: URL? = nil, stderrFile: URL? = nil,
                stderrLines: Bool = false) throws {
        commandLine = ([executable] + arguments).joined(separator: " ")
        stderr = stderrFile ?? FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).err")
        errors = stderrLines ? ChildOutput() : nil
        let errFile = open(stderr.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard errFile >= 0 else { throw ChildSpawnError("cannot create \(stderr.path)") }
        defer { close(errFile) }
        var (errRead, errFD): (Int32, Int32) = (-1, errFile)
        if stderrLines { (errRead, errFD) = try ChildSpawn.pipe() }
        var (outRead, outWrite): (Int32, Int32) = (-1, -1)
        if let stdoutFile {
            outWrite = open(stdoutFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard outWrite >= 0 else { throw ChildSpawnError("cannot create \(stdoutFile.path)") }
        } else {
            (outRead, outWrite) = try ChildSpawn.pipe()
        }
        var inRead = open("/dev/null", O_RDONLY | O_CLOEXEC)
        var inWrite: Int32 = -1
        if stdin { (inRead, inWrite) = try ChildSpawn.pipe() }
        let spawned: pid_t
        do {
            spawned = try ChildSpawn.start(executable, arguments, environment: ChildSpawn.environment(environment, unsetting: unsetting),
                                           directory: directory?.path, stdin: inRead, stdout: outWrite, stderr: errFD)
        } catch {
            for fd in [outRead, outWrite, inRead, inWrite, errRead] where fd >= 0 { close(fd) }
            if errFD != errFile { close(errFD) }
            throw error
        }
        close(outWrite)
        close(inRead)
        if let errors {
            close(errFD)
            // The lines also go to the stderr file, for `errorText` and `transcript`.
            let (errRead, copy) = (errRead, fcntl(errFile, F_DUPFD_CLOEXEC, 0))
            Thread.detachNewThread { Self.read(errRead, into: errors, copy: copy) }
        }
        pid = spawned
        input = inWrite >= 0 ? FileHandle(fileDescriptor: inWrite, closeOnDealloc: true) : nil
        let output = self.output
        if outRead >= 0 {
            let outRead = outRead
            Thread.detachNewThread { Self.read(outRead, into: output) }
        } else {
            output.finish()
        }
        Thread.detachNewThread { [exit] in
            ChildSpawn.awaitExit(spawned)
            let (status, waiters) = exit.withLock { e -> (Int32, [CheckedContinuation<Int32?, Never>]) in
                // Reaped under the lock: `kill()` signals only while the pid is still this child's.
                let status = ChildSpawn.wait(spawned)
                e.status = status
                defer { e.waiters = [:] }
                return (status, Array(e.waiters.values))
            }
            for w in waiters { w.resume(returning: status) }
        }
    }

    /// The `codex-k8s` binary with `arguments`.
    public convenience init(codexK8s arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(Command.codexK8s, arguments, environment: environment)
    }

    // MARK: stdout

    /// The first stdout line (from here on) for which `match` holds; nil when stdout ends first, the
    /// waiting task is cancelled, or `timeout` passes (which records a failure with the transcript).
    public func line(timeout: Duration = defaultTimeout, where match: (String) -> Bool,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        await firstLine(of: output, "stdout", timeout: timeout, where: match, sourceLocation: sourceLocation)
    }

    /// The first stderr line (from here on) for which `match` holds, as `line(timeout:where:)` for
    /// stdout; for a child started with `stderrLines: true` (else nil at once).
    public func errorLine(timeout: Duration = defaultTimeout, where match: (String) -> Bool,
                          sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        guard let errors else { return nil }
        return await firstLine(of: errors, "stderr", timeout: timeout, where: match, sourceLocation: sourceLocation)
    }

    private func firstLine(of lines: ChildOutput, _ name: String, timeout: Duration, where match: (String) -> Bool,
                           sourceLocation: SourceLocation) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            switch await lines.next(timeout: deadline - .now) {
            case .line(let line): if match(line) { return line }
            case .ended, .cancelled: return nil
            case .timedOut:
                Issue.record("no matching \(name) line within \(timeout)\n\(transcript)", sourceLocation: sourceLocation)
                return nil
            }
        }
    }

    /// The first stdout line (from here on) containing `text`.
    public func line(containing text: String, timeout: Duration = defaultTimeout,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        await line(timeout: timeout, where: { $0.contains(text) }, sourceLocation: sourceLocation)
    }

    /// Writes `text` and a newline to stdin (the child must have been started with `stdin: true`)
    /// and returns the next stdout line.
    public func command(_ text: String, timeout: Duration = defaultTimeout,
                        sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        input?.write(Data((text + "\n").utf8))
        return await line(timeout: timeout, where: { _ in true }, sourceLocation: sourceLocation)
    }

    /// Every stdout line from here to EOF; nil when `timeout` passes first (a failure is recorded)
    /// or the waiting task is cancelled.
    public func remainingLines(timeout: Duration = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation) async -> [String]? {
        let deadline = ContinuousClock.now + timeout
        var lines: [String] = []
        while true {
            switch await output.next(timeout: deadline - .now) {
            case .line(let line): lines.append(line)
            case .ended: return lines
            case .cancelled: return nil
            case .timedOut:
                Issue.record("stdout did not end within \(timeout)\n\(transcript)", sourceLocation: sourceLocation)
                return nil
            }
        }
    }

    /// Calls `body` with each stdout line until EOF or until the calling task is cancelled — for a
    /// task that drains a child in the background (no deadline: the caller ends it by killing the
    /// child or cancelling the task).
    public func forEachLine(_ body: (String) -> Void) async {
        while true {
            guard case .line(let line) = await output.next(timeout: .seconds(86_400)) else { return }
            body(line)
        }
    }

    /// What the child wrote so far: its last stdout lines and its stderr, for failure messages.
    public var transcript: String {
        "--- \(commandLine) (pid \(pid)) stdout, last lines:\n" + output.recent.joined(separator: "\n")
            + "\n--- stderr:\n" + String(errorText.suffix(8000))
    }

    /// What the child wrote to stderr so far.
    public var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    // MARK: signals and exit

    /// True until the child has exited (and been reaped).
    public var isRunning: Bool { exit.withLock { $0.status == nil } }

    /// Sends `signal` (default SIGKILL) if the child still runs; safe to call more than once and
    /// from a `defer`.
    public func kill(_ signal: Int32 = SIGKILL) {
        exit.withLock { e in
            // Under the lock: once reaped, the pid may belong to another process.
            if e.status == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    /// SIGINT, as Ctrl-C.
    public func interrupt() { kill(SIGINT) }

    /// SIGTERM.
    public func terminate() { kill(SIGTERM) }

    /// Waits for the exit: the exit status, or 128+signal when a signal ended it. nil when the
    /// waiting task is cancelled, or when `timeout` passes — then a failure is recorded with the
    /// transcript and the child is SIGKILLed.
    public func exitStatus(timeout: Duration = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation) async -> Int32? {
        let id = exit.withLock { e -> UInt64 in
            e.ids += 1
            return e.ids
        }
        let resolve: @Sendable (Int32?) -> Void = { [exit] value in
            exit.withLock { e -> CheckedContinuation<Int32?, Never>? in
                guard let waiter = e.waiters.removeValue(forKey: id) else {
                    if e.status == nil { e.expired.insert(id) } // not registered yet: it ends at once when it does
                    return nil
                }
                return waiter
            }?.resume(returning: value)
        }
        let timer = WallTimer(after: timeout) { resolve(nil) }
        defer { timer.cancel() }
        let status = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Int32?, Never>) in
                let now = exit.withLock { e -> Int32?? in
                    if let status = e.status { return .some(status) }
                    if e.expired.remove(id) != nil || Task.isCancelled { return .some(nil) }
                    e.waiters[id] = c
                    return .none
                }
                if let now { c.resume(returning: now) }
            }
        } onCancel: {
            resolve(nil)
        }
        if status == nil && !Task.isCancelled {
            Issue.record("the child did not exit within \(timeout); killing it\n\(transcript)", sourceLocation: sourceLocation)
            kill()
        }
        return status
    }

    /// Starts a small shell that SIGKILLs the child once this (the test) process is gone, so not even
    /// a test runner killed by a CI timeout leaves the child behind; it ends with the child.
    public func killWithParent() throws {
        let script = "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(pid) 2>/dev/null; do sleep 1; done; "
            + "kill -0 \(getpid()) 2>/dev/null || kill -9 \(pid) 2>/dev/null"
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let watchdog = try ChildSpawn.start("/bin/sh", ["-c", script], environment: ProcessInfo.processInfo.environment,
                                            directory: nil, stdin: null, stdout: null, stderr: null)
        Thread.detachNewThread { _ = ChildSpawn.wait(watchdog) }
    }

    /// Runs a command to its end; returns (status, stdout). Bounded by `timeout` (then the child is
    /// killed, a failure recorded, and the status is -1).
    public static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                              timeout: Duration = defaultTimeout,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws -> (Int32, String) {
        let child = try ChildProcess(executable, arguments, environment: environment)
        defer { child.kill() }
        let lines = await child.remainingLines(timeout: timeout, sourceLocation: sourceLocation)
        guard let lines else { return (-1, "") }
        let status = await child.exitStatus(timeout: timeout, sourceLocation: sourceLocation) ?? -1
        return (status, lines.map { $0 + "\n" }.joined())
    }

    /// Writes all of `bytes` to `fd` (a file: a short write only on an error, which ends the copy).
    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { raw in
            var at = 0
            while at < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + at, raw.count - at)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                at += written
            }
        }
    }

    /// Reads `fd` until EOF on the calling thread, handing complete lines (and a last unterminated
    /// one) to `output` and every byte to `copy` (when >= 0); then closes `fd` and `copy`.
    private static func read(_ fd: Int32, into output: ChildOutput, copy: Int32 = -1) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if copy >= 0 { writeAll(copy, chunk[..<n]) }
            buffer.append(contentsOf: chunk[..<n])
            var lines: [String] = []
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
            output.append(lines)
        }
        if !buffer.isEmpty { output.append([String(decoding: buffer, as: UTF8.self)]) }
        close(fd)
        if copy >= 0 { close(copy) }
        output.finish()
    }
}

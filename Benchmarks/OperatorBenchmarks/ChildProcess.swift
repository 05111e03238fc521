import Foundation
import Synchronization

/// A child process of the benchmark: stdin is a pipe (commands), stdout lines arrive on a stream
/// (or go to a file), stderr goes to a file.
final class ChildProcess: Sendable {
    let process: Process
    let input: FileHandle
    let lines: AsyncStream<String>
    let stderrPath: String

    /// - Parameter stdoutFile: when given, stdout is written there and `lines` stays empty.
    init(_ executable: String, _ arguments: [String], stdoutFile: String? = nil, stderrFile: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        process.standardInput = stdin
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        stderrPath = stderrFile
        let (lines, continuation) = AsyncStream<String>.makeStream()
        if let stdoutFile {
            _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: stdoutFile)
            continuation.finish()
        } else {
            let pipe = Pipe()
            process.standardOutput = pipe
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
        }
        self.process = process
        self.input = stdin.fileHandleForWriting
        self.lines = lines
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// The next stdout line; nil once stdout ended.
    func nextLine() async -> String? {
        for await line in lines { return line }
        return nil
    }

    /// Writes one command line to stdin and returns the next stdout line.
    func command(_ text: String) async -> String? {
        input.write(Data((text + "\n").utf8))
        return await nextLine()
    }

    func waitForExit() async -> Int32 {
        await withCheckedContinuation { c in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume(returning: self.process.terminationStatus)
            }
        }
    }
}

/// CPU time and memory of a process, from /proc (Linux).
struct ProcessSample {
    /// User + system CPU seconds of every thread so far.
    var cpuSeconds: Double
    /// Resident set (VmRSS) and its anonymous part (RssAnon), KiB.
    var rssKiB: Int
    var rssAnonKiB: Int
    var threads: Int

    static func of(_ pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        func kib(_ key: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(cpuSeconds: (utime + stime) / ticks, rssKiB: kib("VmRSS"), rssAnonKiB: kib("RssAnon"),
                             threads: kib("Threads"))
    }
}

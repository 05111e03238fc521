import Foundation
import Synchronization

/// A child process whose stdout lines arrive on a stream (stderr goes to a file, kept for messages).
final class ChildProcess: Sendable {
    let process: Process
    let lines: AsyncStream<String>
    let stderr: URL

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
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
        process.standardInput = FileHandle.nullDevice
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

    /// The first stdout line (from here on) for which `match` holds; nil when stdout ends first.
    func line(where match: (String) -> Bool) async -> String? {
        for await line in lines where match(line) { return line }
        return nil
    }

    var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    func exitStatus() async -> Int32 {
        await withCheckedContinuation { c in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// Runs a command to its end; returns (status, stdout).
    static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
        let child = try ChildProcess(executable, arguments, environment: environment)
        var out = ""
        for await line in child.lines { out += line + "\n" }
        return (await child.exitStatus(), out)
    }
}

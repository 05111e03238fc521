import Foundation
import TestSupport

/// Resident memory of a process holding 50 open watches. The stand-in server runs in this
/// process; the watching client is the separate `WatchMemoryClient` executable (built next to this
/// one, linking only KubeAPI and KubeClient), so the figure is that of a process that uses
/// KubeClient — without this benchmark's NIO server or Foundation.
enum WatchMemoryBenchmark {
    /// Runs the client with 0, 50 and 200 watches (one small event each) and with 50 watches that
    /// each receive a burst of 2 KB events; `mappings` adds the per-file breakdown.
    static func run(mappings: Bool = false) async {
        let clientPath = URL(fileURLWithPath: CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("WatchMemoryClient").path
        guard FileManager.default.isExecutableFile(atPath: clientPath) else {
            print("watch benchmark: \(clientPath) is missing; build it with `swift build -c release --product WatchMemoryClient`")
            return
        }
        do {
            let server = try await BenchServer()
            // The last run: 50 watches that each receive 16 realistic Pod events (~35 KB) at once.
            for (count, burst) in [(0, 0), (50, 0), (200, 0), (50, 16)] {
                let run = try await Command.run(clientPath, [server.url, "\(count)"] + (burst > 0 ? ["--burst", "\(burst)"] : [])
                                                    + (mappings ? ["--mappings"] : []))
                print(run.out, terminator: "")
                if !run.err.isEmpty { FileHandle.standardError.write(Data(run.err.utf8)) }
            }
            try await server.shutdown()
        } catch {
            print("watch benchmark failed: \(error)")
        }
    }
}

import Foundation
import KubeAPI
import KubeClient

/// Resident memory of a process holding 50 open watches. The server runs in this process; the
/// watching client is a child process (`watch-client URL N`) so its VmRSS is the client's alone.
enum WatchMemoryBenchmark {
    static func run() async {
        do {
            let server = try await BenchServer()
            for count in [0, 50, 200] {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
                child.arguments = ["watch-client", server.url, "\(count)"]
                let out = Pipe()
                child.standardOutput = out
                try child.run()
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                child.waitUntilExit()
                print(text, terminator: "")
            }
            try await server.shutdown()
        } catch {
            print("watch benchmark failed: \(error)")
        }
    }

    /// Opens `count` watches, waits for the first event on each, then reports VmRSS and threads.
    static func client(url: String, count: Int) async {
        let idle = ProcessStats.residentKiB
        let client = KubeClient(config: KubeClientConfig(server: url, namespace: "default"))
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let (done, doneContinuation) = AsyncStream<Void>.makeStream()
        var tasks: [Task<Void, Never>] = []
        for i in 0..<count {
            tasks.append(Task {
                do {
                    for try await _ in client.watch(Pod.self, namespace: "ns-\(i)") { readyContinuation.yield() }
                } catch {
                    print("watch \(i) failed: \(error)")
                }
            })
        }
        var seen = 0
        if count > 0 {
            for await _ in ready {
                seen += 1
                if seen == count { break }
            }
        }
        let rss = ProcessStats.residentKiB
        print("watches: \(count) open watches (each received an event): VmRSS \(rss) KiB (RssAnon \(ProcessStats.field("RssAnon")) KiB, "
              + "RssFile \(ProcessStats.field("RssFile")) KiB; \(idle) KiB before creating the client), threads \(ProcessStats.threads)")
        for t in tasks { t.cancel() }
        doneContinuation.finish()
        for await _ in done {}
        exit(0)
    }
}

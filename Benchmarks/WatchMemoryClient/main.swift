// The client half of `KubeClientBenchmarks watches`:
// `WatchMemoryClient URL COUNT [--burst N] [--mappings]`.
//
// A process that uses KubeClient and nothing else (no NIO server, no Foundation of its own): it
// opens COUNT watches against the stand-in server at URL, waits until each has received an event
// (with `--burst N`: until each has received the N events the server sends it at once),
// and prints its resident memory; with `--mappings`, also the resident memory per mapped file
// (before the client was created → at the end).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KubeAPI
import KubeClient

let arguments = CommandLine.arguments.dropFirst()
guard let url = arguments.first, let count = arguments.dropFirst().first.flatMap({ Int($0) }), count >= 0 else {
    print("usage: WatchMemoryClient URL COUNT [--burst N] [--mappings]")
    exit(2)
}

let showMappings = arguments.contains("--mappings")
let burst = arguments.firstIndex(of: "--burst").flatMap { i in i + 1 < arguments.endIndex ? Int(arguments[i + 1]) : nil } ?? 0
let idle = MemoryMap.status("VmRSS")
let idleMappings = showMappings ? MemoryMap.byMapping() : []
let client = KubeClient(config: KubeClientConfig(server: url, namespace: "default"))
let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
var tasks: [Task<Void, Never>] = []
for i in 0..<count {
    tasks.append(Task {
        do {
            let options = burst > 0 ? WatchOptions(labelSelector: "burst-\(burst)") : WatchOptions()
            var events = 0
            for try await _ in client.watch(Pod.self, namespace: "ns-\(i)", options: options) {
                events += 1
                if events == max(burst, 1) { readyContinuation.yield() }
            }
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

let rss = MemoryMap.status("VmRSS")
let received = burst > 0 ? "each received \(burst) events of ~2 KB at once" : "each received an event"
print("watches: \(count) open watches (\(received)): VmRSS \(rss) KiB (RssAnon \(MemoryMap.status("RssAnon")) KiB, "
      + "RssFile \(MemoryMap.status("RssFile")) KiB; \(idle) KiB before creating the client), threads \(MemoryMap.status("Threads"))")
if showMappings {
    // Per mapped file: resident KiB before the client existed → now (of which anonymous now).
    let before = Dictionary(idleMappings.map { ($0.name, $0.rss) }, uniquingKeysWith: +)
    for usage in MemoryMap.byMapping() {
        print("  \(before[usage.name] ?? 0) → \(usage.rss) KiB resident (\(usage.anonymous) KiB anonymous)  \(usage.name)")
    }
}
for t in tasks { t.cancel() }
exit(0)

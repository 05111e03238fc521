// KubeTestServer benchmark: N creates over HTTP/1.1 keep-alive with W concurrent watchers.
// Run: swift run -c release KubeTestServerBenchmarks [creates] [watchers] [writers]
// Reports writes/s (first request sent → last response received), the time until every watcher
// has received every event, and resident memory at each quarter of the run (linearity).
import Foundation
import Synchronization
import KubeAPI
import KubeTestServer
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let creates = args.count > 0 ? args[0] : 10_000
let watcherCount = args.count > 1 ? args[1] : 10
let writerCount = args.count > 2 ? args[2] : 8

/// Resident set size in MiB, from /proc/self/statm.
func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let pages = Double(text.split(separator: " ")[1]) ?? 0
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// A blocking loopback connection that reads just enough HTTP to count responses and frames.
final class Connection {
    let fd: Int32
    var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 262_144)

    init(port: Int) {
        do {
            fd = try LoopbackHTTP.connect(port: port, receiveTimeout: nil, noDelay: true)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    func write(_ bytes: [UInt8]) {
        precondition(LoopbackHTTP.sendAll(fd, bytes), "send failed")
    }

    func fill() -> Bool {
        let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer += scratch[..<n]
        return true
    }

    /// Reads one Content-Length response; returns its status code.
    func readResponse() -> Int {
        while true {
            if let end = LoopbackHTTP.headEnd(in: buffer) {
                let head = LoopbackHTTP.parseHead(buffer[..<end])
                let length = head?.contentLength ?? 0
                while buffer.count < end + 4 + length { precondition(fill(), "connection closed") }
                buffer.removeSubrange(..<(end + 4 + length))
                return head?.status ?? 0
            }
            precondition(fill(), "connection closed")
        }
    }
}

let server = try await KubeTestServer.start()
let startRV = server.store.currentResourceVersion
let path = "/api/v1/namespaces/default/configmaps"

// Watchers: count newline-terminated frames until every create has arrived.
let watchersDone = DispatchGroup()
let watchersReady = DispatchSemaphore(value: 0)
for _ in 0..<watcherCount {
    watchersDone.enter()
    let port = server.port
    Thread.detachNewThread {
        let c = Connection(port: port)
        c.write(Array("GET \(path)?watch=true&resourceVersion=\(startRV) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(KubeTestServer.adminToken)\r\n\r\n".utf8))
        while LoopbackHTTP.headEnd(in: c.buffer) == nil { _ = c.fill() }
        watchersReady.signal()
        var frames = 0
        while frames < creates {
            let before = c.buffer.count
            guard c.fill() else { break }
            frames += c.buffer[before...].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            c.buffer.removeAll(keepingCapacity: true)
        }
        watchersDone.leave()
    }
}
for _ in 0..<watcherCount { watchersReady.wait() }

/// Each create request, serialized up front so the timed loop measures the server, not the client.
let requests: [[UInt8]] = (0..<creates).map { i in
    let body: JSONValue = ["metadata": ["name": .string("cm-\(i)"), "labels": ["app": "bench", "shard": .string(String(i % 16))]],
                           "data": ["payload": .string(String(repeating: "x", count: 256)), "index": .string(String(i))]]
    let bytes = body.serialized()
    return Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(KubeTestServer.adminToken)\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let rssBefore = residentMiB()
let cpuBefore = cpuSeconds()
let checkpoints = Mutex<[(Int, Double)]>([])
let done = Mutex(0)
let writersDone = DispatchGroup()
let started = Date()
for w in 0..<writerCount {
    writersDone.enter()
    let port = server.port
    Thread.detachNewThread {
        let c = Connection(port: port)
        var i = w
        while i < creates {
            c.write(requests[i])
            let status = c.readResponse()
            precondition(status == 201, "create failed with \(status)")
            let n = done.withLock { $0 += 1; return $0 }
            if n % (creates / 4) == 0 { checkpoints.withLock { $0.append((n, residentMiB())) } }
            i += writerCount
        }
        writersDone.leave()
    }
}
writersDone.wait()
let writeSeconds = Date().timeIntervalSince(started)
watchersDone.wait()
let deliverSeconds = Date().timeIntervalSince(started)
let cpu = cpuSeconds() - cpuBefore

print("creates: \(creates), watchers: \(watcherCount), writer connections: \(writerCount)")
print(String(format: "writes/s: %.0f (%.3f s for all creates)", Double(creates) / writeSeconds, writeSeconds))
print(String(format: "all %d events delivered to all %d watchers after %.3f s (%.0f events/s fan-out)",
             creates, watcherCount, deliverSeconds, Double(creates * watcherCount) / deliverSeconds))
print(String(format: "CPU: %.3f s (server + clients, all threads) = %.0f creates per CPU-second", cpu, Double(creates) / cpu))
print(String(format: "load average at the end: %@", (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"))
print(String(format: "RSS before writes: %.1f MiB", rssBefore))
for (n, mib) in checkpoints.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
    print(String(format: "RSS after %6d objects: %.1f MiB (%.2f KiB/object over baseline)", n, mib, (mib - rssBefore) * 1024 / Double(n)))
}
try await server.stop()

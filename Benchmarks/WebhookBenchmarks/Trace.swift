import Foundation
import Synchronization

/// `--trace FILE`: what happened when, for finding where latency comes from. Kept in memory,
/// written as tab-separated lines at the end (times in ms since the trace began):
///
/// - `phase NAME START END` — a fixed-rate phase;
/// - `d PHASE DUE LATENCY CONNECTION STATUS` — one delivery of a fixed-rate phase (latency from
///   its scheduled send time, as the phase's percentiles);
/// - `j START LISTED END RUNS` — one `BurstJanitor` round (DELETE collection answered at LISTED,
///   its finalizer PATCHes done at END);
/// - `cpu T ADAPTER SERVER LOADGEN` — the processes' CPU seconds so far, every `cpuPeriod`.
final class Trace: Sendable {
    static let cpuPeriod: UInt32 = 50_000 // µs

    let base = nanos()
    private let lines = Mutex<[String]>([])
    private let sampling = Atomic<Bool>(true)

    private func ms(_ t: UInt64) -> String { String(format: "%.3f", Double(Int64(t) - Int64(base)) / 1e6) }

    private func add(_ line: String) { lines.withLock { $0.append(line) } }

    func phase(_ name: String, start: UInt64, end: UInt64) { add("phase\t\(name)\t\(ms(start))\t\(ms(end))") }

    /// A worker's deliveries of one phase, added at once at the end of the phase.
    func deliveries(_ phase: String, _ records: [(due: UInt64, latency: UInt64, status: Int)], connection: Int) {
        let text = records.map { "d\t\(phase)\t\(ms($0.due))\t\(String(format: "%.3f", Double($0.latency) / 1e6))\t\(connection)\t\($0.status)" }
        lines.withLock { $0 += text }
    }

    func janitorRound(start: UInt64, listed: UInt64, end: UInt64, runs: Int) {
        add("j\t\(ms(start))\t\(ms(listed))\t\(ms(end))\t\(runs)")
    }

    /// Samples the CPU time of the three processes on a thread of its own until `write`.
    func sampleCPU(adapter: ProcStats, server: ProcStats) {
        let me = ProcStats(pid: getpid())
        Thread { [self] in
            while sampling.load(ordering: .relaxed) {
                add("cpu\t\(ms(nanos()))\t\(adapter.cpuSeconds)\t\(server.cpuSeconds)\t\(me.cpuSeconds)")
                usleep(Self.cpuPeriod)
            }
        }.start()
    }

    func write(to path: String) throws {
        sampling.store(false, ordering: .relaxed)
        let text = lines.withLock { $0.joined(separator: "\n") } + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

// Audit benchmarks (docs/performance.md, "Audit"): run with `swift run -c release AuditBenchmarks`.
// Starts its own PostgreSQL (durable: fsync and synchronous_commit on) on 127.0.0.1 and measures
//  1. events/s sustained into PostgreSQL through PostgresAuditSink (batched multi-row INSERTs, NOTIFY
//     trigger on), from the first emit until the last event is committed;
//  2. the reconcile-path cost of emitting one event (record construction + buffer append), alone and
//     with the Kubernetes-Event/log sink fanned out beside it;
//  3. (first, on the empty table) the `events --follow` insert → printed-line latency, p50/p99 over 200
//     inserts, for the in-process follower and the `codex-k8s` binary (built next to this benchmark).
// `--follow-only` runs 3 alone.
import Audit
import Foundation
import KubeAPI
import Logging
import PostgresTestServer

struct DiscardingPublisher: KubeEventPublishing {
    func publish(_ event: KubeEventNote) {}
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func event(_ i: Int, runs: Int) -> (AuditEvent, AuditSubject) {
    (.runWaitResumed(wait: .mcp, waitedSeconds: Int64(i)),
     AuditSubject(run: "owner-repo-\(i % runs)-dev-0a1b2c3d4e", repository: "owner/repo", issue: i % runs + 1,
                  regarding: ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun",
                                             namespace: "codex-system", name: "owner-repo-\(i % runs)")))
}

let durable = !CommandLine.arguments.contains("--no-fsync")
print("starting PostgreSQL (durable: \(durable))…")
let server = try LocalPostgres.start(durable: durable)
defer { server.stop() }
let database = try server.createDatabase(prefix: "bench")
let url = try DatabaseURL(server.url(database: database))
try PostgresAuditSink.migrate(url)
let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

// 3. Live feed latency.
try FollowLatency.run(server: server, database: database)
if CommandLine.arguments.contains("--follow-only") {
    server.stop()
    exit(0)
}

/// CPU seconds used so far by this process and by the PostgreSQL server (postmaster and its children),
/// so the throughput on a shared, loaded machine can be put in terms of CPU per event.
func cpuSeconds() -> (client: Double, server: Double) {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    let client = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    let pidFile = (try? String(contentsOfFile: server.directory + "/data/postmaster.pid", encoding: .utf8)) ?? ""
    let postmaster = pidFile.split(separator: "\n").first.map(String.init) ?? ""
    var ticks = 0.0
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
        guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state; ppid is fields[1], utime fields[11], stime fields[12].
        guard fields.count > 12, entry == postmaster || String(fields[1]) == postmaster else { continue }
        ticks += (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    }
    return (client, ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
}

// 1. Throughput.
let sink = PostgresAuditSink(url: url, configuration: .init(bufferCapacity: 2_000_000, maxBatch: 1000), logger: quiet)
let warmup = (0..<2000).map { event($0, runs: 100) }
for (e, s) in warmup { sink.emit(e, subject: s, actor: "operator") }
await sink.flush()
for round in 1...3 {
    let n = 200_000
    let events = (0..<n).map { event($0, runs: 100) }
    let cpuBefore = cpuSeconds()
    let start = ContinuousClock.now
    for (e, s) in events { sink.emit(e, subject: s, actor: "operator") }
    let emitted = ContinuousClock.now
    await sink.flush()
    let total = seconds(start.duration(to: .now))
    let cpuAfter = cpuSeconds()
    let clientCPU = (cpuAfter.client - cpuBefore.client) / Double(n) * 1e6
    let serverCPU = (cpuAfter.server - cpuBefore.server) / Double(n) * 1e6
    print(String(format: "throughput round %d: %d events committed in %.2f s → %.0f events/s (emitting took %.3f s); "
                 + "CPU per event: client %.1f µs (incl. emitting), server %.1f µs → %.0f events per CPU-second",
                 round, n, total, Double(n) / total, seconds(start.duration(to: emitted)), clientCPU, serverCPU,
                 1e6 / (clientCPU + serverCPU)))
}
let stats = sink.statistics
print("sink statistics: accepted \(stats.accepted), written \(stats.written), dropped \(stats.dropped), rejected \(stats.rejected)")

// 2. Emit cost on the reconcile path (the writer thread runs meanwhile, as in production).
func emitCost(_ label: String, _ target: any AuditSink, flush: () async -> Void) async {
    var perEmit: [Double] = []
    for _ in 1...5 {
        let n = 100_000
        let events = (0..<n).map { event($0, runs: 100) }
        let start = ContinuousClock.now
        for (e, s) in events { target.emit(e, subject: s, actor: "operator") }
        perEmit.append(seconds(start.duration(to: .now)) / Double(n) * 1e9)
        await flush()
    }
    perEmit.sort()
    print(String(format: "emit cost, %@: median %.0f ns, best %.0f ns, worst %.0f ns (5 rounds × 100,000)",
                 label, perEmit[2], perEmit[0], perEmit[4]))
}
await emitCost("PostgresAuditSink", sink) { await sink.flush() }
let fanOut = AuditSinks([KubeEventLogSink(publisher: DiscardingPublisher(), logger: quiet), sink])
await emitCost("Kubernetes-Event/log sink + PostgresAuditSink", fanOut) { await sink.flush() }
let rows = try server.query("SELECT count(*) FROM flow_events", database: database)
print("rows in flow_events: \((rows.first?.first ?? nil) ?? "?")")
await sink.shutdown()

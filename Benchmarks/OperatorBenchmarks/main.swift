import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI
import KubeClient
import Runs
import TestSupport
import Testing // the default source locations of TestSupport's waits

// The operator benchmark (issue 10, Performance): `kube-test-server` in one process, the
// `codex-k8s operator` binary in another (both next to this executable: build them in the same
// configuration), this process creating AgentRuns and watching them. The server runs each agent
// pod in-process as soon as the Job controller makes it (no kubelet requests), and counts requests
// by User-Agent: the operator's are `codex-k8s`, this process's `operator-benchmark`.
//
//   OperatorBenchmarks [runs=1000] [concurrency=32] [resync=10s] [idle=300] [finalizer=yes] [dir=/tmp/opbench]
//                      [operator=PATH] [hold=0]
//
// `operator=PATH` runs that `codex-k8s` binary instead of the one next to this executable (e.g. the
// shipped form, built with `-Xswiftc -static-stdlib` as the Dockerfile does); the server stays ours.
// `hold=N` keeps the first operator, quiet with the runs cached, N seconds after phase 1's report
// (to inspect it: /proc/PID/smaps, pagemap, gdb) before it is stopped, and reports its memory then
// (what a quiet operator settles to after a burst, as against the sample taken when it went quiet).
//
// Phases: (1) create `runs` AgentRuns at once (`concurrency` creates in flight), each a different
// repository+issue, slots large enough for all; measure until every one is Running, then until the
// operator is quiet: runs/s, time to Running, the operator's requests per run by verb, its CPU per
// run and RSS. Runs are created with the finalizer on, as the webhook creates them (`finalizer=no`:
// as kubectl would, and the operator patches it in). (2) `idle` seconds with `--resync-period resync`: every run re-queued each period,
// nothing changed: writes must be 0.

let arguments = Dictionary(CommandLine.arguments.dropFirst().compactMap { arg -> (String, String)? in
    let parts = arg.split(separator: "=", maxSplits: 1)
    return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
}, uniquingKeysWith: { $1 })
let runCount = Int(arguments["runs"] ?? "") ?? 1000
let concurrency = Int(arguments["concurrency"] ?? "") ?? 32
let resync = arguments["resync"] ?? "10s"
let idleSeconds = Int(arguments["idle"] ?? "") ?? 300
let withFinalizer = arguments["finalizer"] != "no"
let holdSeconds = Int(arguments["hold"] ?? "") ?? 0
let directory = arguments["dir"] ?? FileManager.default.temporaryDirectory.appendingPathComponent("opbench-\(getpid())").path
let namespace = "codex-bench"
let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let operatorBinary = arguments["operator"] ?? binaries.appendingPathComponent("codex-k8s").path

func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("OperatorBenchmarks: \(text)\n".utf8))
    exit(1)
}
func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let kubeconfig = directory + "/kubeconfig"

// MARK: the server
let server = try ChildProcess(binaries.appendingPathComponent("kube-test-server").path,
                              ["--kubeconfig", kubeconfig, "--namespace", namespace,
                               "--run-pods", "app.kubernetes.io/managed-by=codex-k8s"],
                              stdin: true, stderrFile: URL(fileURLWithPath: directory + "/server.err"))
guard let ready = await server.line(where: { _ in true }), ready.hasPrefix("ready ") else {
    fail("kube-test-server did not start: see \(server.stderr.path)")
}
say("kube-test-server: \(ready.dropFirst(6)) (pid \(server.pid))")

func requests() async -> JSONValue {
    guard let line = await server.command("requests"), line.hasPrefix("requests "),
          let json = try? JSONValue(parsing: String(line.dropFirst(9))) else { fail("no answer to `requests`") }
    return json
}

// MARK: the operator
let configPath = directory + "/operator.yaml"
try """
controlNamespace: \(namespace)
slots:
  maxActiveRuns: \(max(runCount, 1))
  perRepository: \(max(runCount, 1))

""".write(toFile: configPath, atomically: true, encoding: .utf8)
/// Starts `codex-k8s operator` (stdout to `log`) and returns it once it serves /healthz, with its metrics port.
func startOperator(log: String, resync: String?) async throws -> (ChildProcess, Int) {
    let op = try ChildProcess(operatorBinary,
                              ["operator", "--config", configPath, "--kubeconfig", kubeconfig, "--metrics-bind", "127.0.0.1:0",
                               "--identity", "bench"] + (resync.map { ["--resync-period", $0] } ?? []),
                              stdoutFile: URL(fileURLWithPath: log), stderrFile: URL(fileURLWithPath: log + ".err"))
    say("operator: \(operatorBinary), pid \(op.pid), log \(log)")
    for _ in 0..<1200 {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        if let line = text.split(separator: "\n").first(where: { $0.contains("serving /healthz") }),
           let json = try? JSONValue(parsing: String(line)), let port = json["port"]?.stringValue.flatMap({ Int($0) }) {
            return (op, port)
        }
        if !op.isRunning { fail("the operator exited: see \(op.stderr.path)") }
        try await Task.sleep(for: .milliseconds(100))
    }
    fail("the operator did not serve /healthz within 2 minutes")
}

func get(_ port: Int, _ path: String) async -> (Int, String) {
    guard let (data, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!) else {
        return (0, "")
    }
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// Reconciles of AgentRuns so far (`controller_reconcile_total{controller="agentrun"}`).
func reconciles(_ port: Int) async -> Int {
    let text = await get(port, "/metrics").1
    return text.split(separator: "\n").filter { $0.hasPrefix("controller_reconcile_total{") && $0.contains("controller=\"agentrun\"") }
        .compactMap { Int(Double($0.split(separator: " ").last ?? "") ?? -1) }.reduce(0, +)
}

var config = try KubeClientConfig.fromEnvironment(kubeconfigPath: kubeconfig)
config.userAgent = "operator-benchmark"
let client = KubeClient(config: config)

/// Waits until the caches are synced (/readyz) and the operator holds the Lease (its workers run).
func waitUntilLeading(_ port: Int) async throws {
    for attempt in 0... {
        let readyz = await get(port, "/readyz").0
        let lease = try? await client.get(Lease.self, namespace: namespace, name: "codex-k8s-operator")
        if readyz == 200, lease?.spec?.holderIdentity == "bench" { return }
        if attempt > 1200 { fail("the operator did not become ready and leader within 2 minutes") }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// The operator's requests other than Lease renewals so far (to see when it has gone quiet).
func operatorRequests() async -> Int {
    let t = RequestTally(await requests(), userAgent: "codex-k8s")
    return RequestTally.total(t.rows) - RequestTally.total(t.leaseRequests)
}

var (op, port) = try await startOperator(log: directory + "/operator.log", resync: nil)
try await waitUntilLeading(port)
try await Task.sleep(for: .seconds(2))
let startup = RequestTally(await requests(), userAgent: "codex-k8s")
say("operator start-up: \(RequestTally.total(startup.reads)) reads, \(RequestTally.total(startup.watches)) watches, "
    + "\(RequestTally.total(startup.reviews)) self-check access reviews, \(RequestTally.total(startup.objectWrites)) object writes, "
    + "\(RequestTally.total(startup.leaseRequests)) Lease requests")
guard let idleBase = ProcessSample.of(op.pid) else { fail("cannot read /proc/\(op.pid)") }
say("operator idle with 0 runs: RSS \(idleBase.rssKiB) KiB (anon \(idleBase.rssAnonKiB) KiB), \(idleBase.threads) threads")
let idleMemory = MemoryReport.of(op.pid)
say("  memory: \(idleMemory.summary)\n\(idleMemory.breakdown())")

// MARK: phase 1 — runs created at once, until Running
_ = await server.command("reset")
let existing = try await client.list(AgentRun.self, namespace: namespace)
let watchTask = Task { () throws -> [String: ContinuousClock.Instant] in
    var running: [String: ContinuousClock.Instant] = [:]
    let events = client.watch(AgentRun.self, namespace: namespace,
                              options: WatchOptions(resourceVersion: existing.metadata.resourceVersion, timeoutSeconds: 3600))
    for try await event in events {
        if case .modified(let run) = event, run.status?.phase == .running, let name = run.metadata.name, running[name] == nil {
            running[name] = .now
            if running.count == runCount { break }
        }
        if case .modified(let run) = event, run.status?.phase == .failed {
            fail("run \(run.metadata.name ?? "") failed: \(run.status?.reason?.rawValue ?? "") \(run.status?.message ?? "")")
        }
    }
    return running
}
let before = ProcessSample.of(op.pid)!
let started = ContinuousClock.now
let created = try await withThrowingTaskGroup(of: (String, ContinuousClock.Instant).self) { group in
    var sent: [String: ContinuousClock.Instant] = [:]
    var next = 0
    func add() {
        let i = next
        next += 1
        group.addTask {
            let name = "bench-\(i)"
            let at = ContinuousClock.now
            let finalizers = withFinalizer ? [WellKnown.cleanupFinalizer] : nil
            _ = try await client.create(AgentRun(metadata: ObjectMeta(name: name, namespace: namespace, finalizers: finalizers),
                                                 spec: AgentRunSpec(repository: "bench/repo-\(i % 20)", issue: Int64(i + 1),
                                                                    stage: .dev)))
            return (name, at)
        }
    }
    while next < min(concurrency, runCount) { add() }
    for try await (name, at) in group {
        sent[name] = at
        if next < runCount { add() }
    }
    return sent
}
let createdAll = ContinuousClock.now
let running = try await watchTask.value
let allRunning = ContinuousClock.now
let atRunning = ProcessSample.of(op.pid)!
// Quiet: no new operator request (Events and audit drain after the last status write) for 2 s.
var quiet = atRunning
var seen = await operatorRequests()
var still = 0
while still < 2 {
    try await Task.sleep(for: .seconds(1))
    let now = await operatorRequests()
    still = now == seen ? still + 1 : 0
    seen = now
    quiet = ProcessSample.of(op.pid)!
}
let phase1 = RequestTally(await requests(), userAgent: "codex-k8s")
let bench1 = RequestTally(await requests(), userAgent: "operator-benchmark")

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
let latencies = created.compactMap { name, at in running[name].map { seconds($0 - at) } }.sorted()
func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
let wall = seconds(allRunning - started)
say("")
say("phase 1: \(runCount) AgentRuns (\(withFinalizer ? "with the finalizer, as the webhook creates them" : "without the finalizer")) created in \(fmt(seconds(createdAll - started))) s (\(concurrency) in flight); all Running after \(fmt(wall)) s")
say("  runs/s (creation → Running, all): \(fmt(Double(runCount) / wall, 1))")
say("  time to Running per run: p50 \(fmt(pct(0.5))) s, p99 \(fmt(pct(0.99))) s, max \(fmt(latencies.last ?? 0)) s")
say("  operator CPU: \(fmt(atRunning.cpuSeconds - before.cpuSeconds)) s until all Running, \(fmt(quiet.cpuSeconds - before.cpuSeconds)) s until quiet → "
    + "\(fmt((quiet.cpuSeconds - before.cpuSeconds) * 1000 / Double(runCount))) ms per run")
say("  operator RSS with \(runCount) runs cached: \(quiet.rssKiB) KiB (\(fmt(Double(quiet.rssKiB) / 1024, 1)) MiB; anon \(quiet.rssAnonKiB) KiB), \(quiet.threads) threads")
let quietMemory = MemoryReport.of(op.pid)
say("  memory: \(quietMemory.summary)\n\(quietMemory.breakdown())")
say("  operator requests per run (object writes, the budget): \(fmt(Double(RequestTally.total(phase1.objectWrites)) / Double(runCount)))")
for r in phase1.objectWrites { say("    \(r.verb) \(r.resource): \(r.count) (\(fmt(Double(r.count) / Double(runCount))) per run)") }
say("  Events written: \(RequestTally.total(phase1.eventWrites)) (\(fmt(Double(RequestTally.total(phase1.eventWrites)) / Double(runCount))) per run)")
for r in phase1.eventWrites { say("    \(r.verb) \(r.resource): \(r.count)") }
say("  reads (get/list): \(RequestTally.total(phase1.reads))")
for r in phase1.reads { say("    \(r.verb) \(r.resource): \(r.count)") }
say("  new watches: \(RequestTally.total(phase1.watches)); Lease requests: \(RequestTally.total(phase1.leaseRequests))")
say("  (this process: \(RequestTally.total(bench1.rows)) requests, not counted above)")

// MARK: phase 2 — a restarted operator, resyncs of unchanged runs
// The first operator had no resync (so phase 1 measured only the runs' work); this one re-queues
// every run every `resync`. Its start-up lists are counted here, so reads appear, once per cache.
if holdSeconds > 0 {
    say("holding the operator (pid \(op.pid)) \(holdSeconds) s")
    try await Task.sleep(for: .seconds(holdSeconds))
    let held = ProcessSample.of(op.pid)!
    say("  after the hold: RSS \(held.rssKiB) KiB (\(fmt(Double(held.rssKiB) / 1024, 1)) MiB; anon \(held.rssAnonKiB) KiB)")
    say("  memory: \(MemoryReport.of(op.pid).summary)")
}
op.terminate()
let firstExit = await op.exitStatus() ?? -1
_ = await server.command("reset")
(op, port) = try await startOperator(log: directory + "/operator-resync.log", resync: resync)
try await waitUntilLeading(port)
let restarted = ProcessSample.of(op.pid)!
let reconcilesBefore = await reconciles(port)
say("")
say("phase 2: the operator restarted (first exit status \(firstExit)); caches filled with \(runCount) runs: RSS \(restarted.rssKiB) KiB "
    + "(\(fmt(Double(restarted.rssKiB) / 1024, 1)) MiB; anon \(restarted.rssAnonKiB) KiB), \(restarted.threads) threads")
let restartedMemory = MemoryReport.of(op.pid)
say("  memory: \(restartedMemory.summary)\n\(restartedMemory.breakdown())")
let idleStart = ProcessSample.of(op.pid)!
say("  \(idleSeconds) s with every run re-queued every \(resync) (nothing changes)…")
try await Task.sleep(for: .seconds(idleSeconds))
let idleEnd = ProcessSample.of(op.pid)!
let reconcilesAfter = await reconciles(port)
let phase2 = RequestTally(await requests(), userAgent: "codex-k8s")
let resyncReconciles = reconcilesAfter - reconcilesBefore
say("  reconciles: \(resyncReconciles) (\(fmt(Double(resyncReconciles) / Double(runCount), 1)) per run) since it was ready")
say("  since the restart — object writes: \(RequestTally.total(phase2.objectWrites)); Event writes: \(RequestTally.total(phase2.eventWrites)); "
    + "reads: \(RequestTally.total(phase2.reads)); new watches: \(RequestTally.total(phase2.watches)); Lease requests: \(RequestTally.total(phase2.leaseRequests))")
for r in phase2.objectWrites + phase2.eventWrites + phase2.reads { say("    \(r.verb) \(r.resource): \(r.count)") }
say("  (self-check access reviews at the restart: \(RequestTally.total(phase2.reviews)))")
say("  operator CPU: \(fmt(idleEnd.cpuSeconds - idleStart.cpuSeconds)) s"
    + (resyncReconciles > 0 ? " (\(fmt((idleEnd.cpuSeconds - idleStart.cpuSeconds) * 1e6 / Double(resyncReconciles), 0)) µs per reconcile)" : "")
    + "; RSS \(idleEnd.rssKiB) KiB")
say("  memory after the resyncs: \(MemoryReport.of(op.pid).summary)")

// MARK: done
op.terminate()
let status = await op.exitStatus() ?? -1
_ = await server.command("stop")
_ = await server.exitStatus()
say("")
say("operator exit status \(status); logs in \(directory)")

// Sweep benchmark (issue 11): `swift build -c release --product SweepBenchmarks --product kube-test-server`,
// then `.build/release/SweepBenchmarks [namespaces] [toDelete]` (default 10000 and 1000). Against
// `kube-test-server` (KubeTestServer in a child process, so CPU and memory here are the sweep's alone): managed
// namespaces, half of those to delete orphaned (no RunNamespace), half with an ended lease; the
// rest live. Prints the CPU time of planning from an inventory (the operator's cache path), of a
// whole one-shot sweep (paginated lists + plan + writes; the client only),
// its API requests by verb and resource, the process's memory, and the RunNamespace reconciler's
// writes on a tick over the live namespaces (the lease is renewed per run start, never per tick).
// Results go to docs/performance.md (## Sweep).
import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Operator
import Runs

struct NoAudit: AuditSink {
    func record(_ record: AuditRecord) {}
    func recordRun(_ run: AgentRunRecord) {}
    func recordDelivery(_ delivery: WebhookDeliveryRecord) {}
}

func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func status(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.dropFirst(field.count + 1).filter(\.isNumber)) ?? -1
    }
    return -1
}

/// One line on stdout, unbuffered (seen at once even through a pipe, and not lost if the run is killed).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func mib(_ kib: Int) -> String { String(format: "%.1f MiB", Double(kib) / 1024) }

/// Runs `body` over `0..<count`, `width` at a time.
func concurrently(_ count: Int, width: Int = 16, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(width, count) { let i = next; group.addTask { try await body(i) }; next += 1 }
        while try await group.next() != nil {
            if next < count { let i = next; group.addTask { try await body(i) }; next += 1 }
        }
    }
}

let args = CommandLine.arguments.dropFirst()
let total = args.first.flatMap(Int.init) ?? 10_000
let toDelete = args.dropFirst().first.flatMap(Int.init) ?? 1_000
var quiet = Logger(label: "sweep-bench")
quiet.logLevel = .critical

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-bench-\(getpid())")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let server = try await ServerProcess(directory: dir) // CRDs, control namespace codex-system installed
let client = try KubeClient.load(kubeconfigPath: server.kubeconfig)
let config = OperatorConfig.defaults

let start = KubeTime(Date(), precision: .seconds)
let sweepAt = start.adding(seconds: 3600) // orphans are past the 10m grace; ended leases ended at `start`
let liveLease = start.adding(seconds: 86_400)
let endedLease = start.adding(seconds: -60)
let orphans = toDelete / 2
func name(_ i: Int) -> String { String(format: "codex-acme-shop-%d-dev-%06x", i, i) }

let setupStarted = Date()
try await concurrently(total) { i in
    let lease = i < toDelete && i >= orphans ? endedLease : liveLease
    _ = try await client.create(Namespace(metadata: ObjectMeta(
        name: name(i), labels: WellKnown.namespaceLabels(issue: Int64(i), stage: .dev, mode: .fullEnv),
        annotations: [WellKnown.repositoryAnnotation: "acme/shop", WellKnown.leaseExpiresAtAnnotation: lease.rfc3339])))
    if i < orphans { return } // the crash: no RunNamespace
    let rns = try await client.create(RunNamespace(
        metadata: ObjectMeta(name: name(i), labels: [WellKnown.managedByLabel: WellKnown.managedByValue]),
        spec: RunNamespaceSpec(repository: "acme/shop", issue: Int64(i), stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(24))))
    var withStatus = rns
    withStatus.status = RunNamespaceStatus(phase: .active, leaseExpiresAt: lease, leaseRenewedAt: lease.adding(seconds: -86_400),
                                           renewals: 0, activeRuns: [], lastRun: "run-\(i)")
    _ = try await client.replaceStatus(withStatus)
}
say("setup: \(total) namespaces (\(orphans) orphaned, \(toDelete - orphans) with an ended lease) in "
      + String(format: "%.1f s", Date().timeIntervalSince(setupStarted)))

let rssBefore = status("VmRSS")
// 1. The inventory as one paginated list per kind, then the plan alone (the operator plans from its
//    caches: this is its whole per-sweep cost besides the writes).
await server.reset()
let inventory = try await SweepInventory.list(client: client, config: config)
let listRequests = await server.requests().summary
let reconciler = RunNamespaceReconciler(client: client, config: config, audit: NoAudit(), wallClock: { sweepAt.date }, logger: quiet)
reconciler.attach(inventory.caches())
let sweeper = Sweeper(client: client, config: config, audit: NoAudit(), reconciler: reconciler, wallClock: { sweepAt.date }, logger: quiet)
var plan: [SweepItem] = []
var planCPU: [Double] = []
for _ in 0..<5 {
    let cpu0 = processCPUSeconds()
    plan = sweeper.plan(inventory)
    planCPU.append(processCPUSeconds() - cpu0)
}
let destructive = plan.filter { $0.action == .delete || $0.action == .expire }.count
say("plan from an inventory of \(inventory.namespaces.count) namespaces, \(inventory.runNamespaces.count) RunNamespaces: "
      + "\(plan.count) items, \(destructive) deletions/expiries; CPU median "
      + String(format: "%.1f ms", planCPU.sorted()[2] * 1000) + " (5 runs); lists: \(listRequests)")
say("memory: RSS \(mib(rssBefore)) before the inventory, \(mib(status("VmRSS"))) with it (peak \(mib(status("VmHWM"))))")

// 2. A whole one-shot sweep (`codex-k8s sweep`): lists, plan, writes.
await server.reset()
var cpu0 = processCPUSeconds()
var wall0 = Date()
let report = try await Sweeper.once(client: client, config: config, audit: NoAudit(), dryRun: false, wallClock: { sweepAt.date }, logger: quiet)
var cpu = processCPUSeconds() - cpu0
let failed = report.outcomes.filter { if case .failed = $0.result { true } else { false } }.count
say("sweep 1: " + String(format: "wall %.2f s, CPU %.2f s (the sweep's process)", Date().timeIntervalSince(wall0), cpu)
      + ", \(report.outcomes.count) items, \(failed) failed")
func requestSummary() async -> String {
    let r = await server.requests()
    return "\(r.total) — \(r.summary)"
}
say("  requests: \(await requestSummary())")

// 3. The next sweep finishes the expiries (the Namespaces are gone: the RunNamespaces go).
await server.reset()
cpu0 = processCPUSeconds()
wall0 = Date()
let second = try await Sweeper.once(client: client, config: config, audit: NoAudit(), dryRun: false, wallClock: { sweepAt.date }, logger: quiet)
cpu = processCPUSeconds() - cpu0
say("sweep 2: " + String(format: "wall %.2f s, CPU %.2f s", Date().timeIntervalSince(wall0), cpu) + ", \(second.outcomes.count) items")
say("  requests: \(await requestSummary())")
let left = try await client.listAll(Namespace.self, options: ListOptions(labelSelector: RunLabels.managedSelector)).items.count
let leftRecords = try await client.listAll(RunNamespace.self).items.count
say("left: \(left) namespaces, \(leftRecords) RunNamespaces (want \(total - toDelete) each)")

// 4. The RunNamespace controller over the live namespaces: its first pass and a tick write nothing.
let leases = NamespaceLeaseRuntime(client: client, config: config, audit: NoAudit(), workers: 2, wallClock: { sweepAt.date }, logger: quiet)
let running = Task { await leases.controller.run() }
await leases.controller.store.waitUntilReady()
func settle() async {
    while true {
        await leases.controller.queue.drain()
        let stats = leases.controller.queue.stats
        if stats.depth == 0 && stats.processing == 0 { return }
        await Task.yield()
    }
}
await server.reset()
await settle()
let writes = { () async -> Int in
    // Writes only: the summary's rows for create/update/patch/delete.
    await server.requests().summary.split(separator: ",").filter { row in
        ["create", "update", "patch", "delete"].contains(row.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "")
    }.compactMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }.reduce(0, +)
}
let firstPass = await writes()
await server.reset()
cpu0 = processCPUSeconds()
leases.requeueAll()
await settle()
let tickWrites = await writes()
say("lease controller over \(leases.controller.store.count) RunNamespaces: \(firstPass) writes on its first pass, "
      + "\(tickWrites) on a tick (every key reconciled again); tick CPU " + String(format: "%.2f s", processCPUSeconds() - cpu0))
running.cancel()
await running.value
say("peak RSS \(mib(status("VmHWM")))")
await server.stop()

import ClusterSupport
import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import KubeTestServer
import Logging
import Operator
import Runs
import Synchronization
import YAML

/// A wall clock the test moves by hand; the operator reads it for every time decision.
final class TestWallClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_900_000_000))
    var now: Date { date.withLock { $0 } }
    func advance(seconds: Double) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { self.now } }
}

/// Keeps every audit record (and run snapshot) the operator emits.
final class CapturingAudit: AuditSink {
    private let records = Mutex<[AuditRecord]>([])
    func record(_ record: AuditRecord) { records.withLock { $0.append(record) } }
    /// Returns once run `run` has an event named `name`: events are emitted after the writes they
    /// report, so a test that saw the write may get here first. Polls (the sink has no waiters);
    /// throws after 120 s.
    func waitFor(run: String, _ name: String) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while !names(run: run).contains(name) {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout(what: "audit event \(name) of run \(run)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
    func recordRun(_ run: AgentRunRecord) {}
    func recordDelivery(_ delivery: WebhookDeliveryRecord) {}
    func names(run: String) -> [String] {
        records.withLock { $0.filter { $0.subject.run == run }.map(\.event.name.rawValue) }
    }
    func records(run: String) -> [AuditRecord] {
        records.withLock { $0.filter { $0.subject.run == run } }
    }
}

/// Where the operator integration tests run: a fresh KubeTestServer with the CRDs and agent
/// ClusterRoles, or — with `CODEX_K8S_TEST_KUBECONFIG` — a real cluster that has them installed.
/// Every test gets its own control namespace and namespace prefix, and `close()` deletes what it made.
/// Pods are driven by patching their status (what a test can do on a real cluster without a kubelet).
struct OperatorHarness {
    let client: KubeClient
    let server: KubeTestServer?
    let suffix: String
    let config: OperatorConfig
    let clock = TestWallClock()
    let audit = CapturingAudit()
    let directory: URL
    let kubeconfigPath: String

    static let namespaces = ResourceDescriptor(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static var quiet: Logger {
        var l = Logger(label: "operator-test")
        l.logLevel = .critical
        return l
    }

    static func start(slots: (Int, Int) = (20, 3), customize: (inout OperatorConfig) -> Void = { _ in }) async throws -> OperatorHarness {
        let suffix = String(UUID().uuidString.lowercased().prefix(8))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("op-\(suffix)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cluster = try await TestCluster.start(directory: dir)
        let (client, server, path) = (cluster.client, cluster.server, cluster.kubeconfigPath)
        if server != nil {
            for doc in try YAMLNode.parseDocuments(Array((EmbeddedManifests.crds + "---\n" + EmbeddedManifests.agentClusterRoles).utf8)) {
                let object = try doc.jsonValue()
                _ = try await client.create(object["kind"]?.stringValue == "ClusterRole" ? ClusterRole.resource : CRDInstall.resource, object)
            }
        }
        var config = OperatorConfig.defaults
        config.controlNamespace = "codex-t\(suffix)"
        config.namespacePrefix = "t\(suffix)"
        config.slots.maxActiveRuns = slots.0
        config.slots.perRepository = slots.1
        customize(&config)
        _ = try await client.create(Namespace(metadata: ObjectMeta(name: config.controlNamespace)))
        _ = try await client.create(Secret(metadata: ObjectMeta(name: "codex-agent-credentials", namespace: config.controlNamespace),
                                           type: "Opaque", data: ["openai-api-key": "c2stdGVzdA==", "github-token": "Z2hwX3Rlc3Q="]))
        return OperatorHarness(client: client, server: server, suffix: suffix, config: config, directory: dir, kubeconfigPath: path)
    }

    /// Runs `body` with a started harness and always cleans up.
    static func with(slots: (Int, Int) = (20, 3), customize: (inout OperatorConfig) -> Void = { _ in },
                     _ body: (OperatorHarness) async throws -> Void) async throws {
        let h = try await start(slots: slots, customize: customize)
        do {
            try await body(h)
        } catch {
            await h.close()
            throw error
        }
        await h.close()
    }

    func close() async {
        if let runs = try? await client.list(AgentRun.self, namespace: config.controlNamespace) {
            for run in runs.items {
                _ = try? await client.patch(AgentRun.self, namespace: config.controlNamespace, name: run.metadata.name ?? "",
                                            .merge(["metadata": ["finalizers": .null]]))
            }
        }
        if let list = try? await client.list(Namespace.self, options: ListOptions(labelSelector: RunLabels.managedSelector)) {
            for ns in list.items where ns.metadata.name?.hasPrefix(config.namespacePrefix) == true {
                _ = try? await client.delete(Namespace.self, name: ns.metadata.name ?? "")
            }
        }
        if let list = try? await client.list(RunNamespace.self) {
            for rns in list.items where rns.metadata.name?.hasPrefix(config.namespacePrefix) == true {
                _ = try? await client.delete(RunNamespace.self, name: rns.metadata.name ?? "")
            }
        }
        _ = try? await client.delete(Namespace.self, name: config.controlNamespace)
        try? await server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts an operator (its controller) on this target; `stop()` it (or cancel the task) to end it.
    /// `wire` runs before its caches start (to share them: `NamespaceLeaseRuntime(sharing:)`).
    func startOperator(workers: Int = 4, beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                       wire: (OperatorRuntime) -> Void = { _ in }) -> RunningOperator {
        let runtime = OperatorRuntime(client: client, config: config, audit: audit, workers: workers,
                                      wallClock: clock.closure, beforeWrite: beforeWrite, logger: Self.quiet)
        wire(runtime)
        let task = Task { await runtime.controller.run() }
        return RunningOperator(runtime: runtime, task: task)
    }

    // MARK: runs

    @discardableResult
    func createRun(_ name: String, repository: String = "acme/shop", issue: Int64 = 42, stage: Stage = .dev,
                   labels: [RunLabel]? = nil, timeout: RunDuration? = nil) async throws -> AgentRun {
        try await client.create(AgentRun(metadata: ObjectMeta(name: name, namespace: config.controlNamespace),
                                         spec: AgentRunSpec(repository: repository, issue: issue, stage: stage, labels: labels,
                                                            timeout: timeout)))
    }

    func run(_ name: String) async throws -> AgentRun {
        try await client.get(AgentRun.self, namespace: config.controlNamespace, name: name)
    }

    /// Waits (on a watch, no sleeping) until run `name` satisfies `condition`; returns it.
    @discardableResult
    func waitForRun(_ name: String, timeout: Int = 120, _ what: String = "condition",
                    _ condition: @escaping (AgentRun) -> Bool) async throws -> AgentRun {
        let first = try await run(name)
        if condition(first) { return first }
        let events = client.watch(AgentRun.self, namespace: config.controlNamespace,
                                  options: WatchOptions(fieldSelector: "metadata.name=\(name)",
                                                        resourceVersion: first.metadata.resourceVersion, timeoutSeconds: timeout))
        var last = first
        for try await event in events {
            if case .added(let r) = event { last = r }
            if case .modified(let r) = event { last = r }
            if condition(last) { return last }
        }
        throw HarnessTimeout(what: "run \(name): \(what); last status \(String(describing: last.status))")
    }

    func waitForPhase(_ name: String, _ phase: AgentRunPhase, reason: AgentRunReason? = nil) async throws -> AgentRun {
        try await waitForRun(name, "phase \(phase.rawValue)") { $0.status?.phase == phase && (reason == nil || $0.status?.reason == reason) }
    }

    /// Waits until `check` returns true, re-checking on every watch event of `resource` (in
    /// `namespace`, or everywhere) — no sleeping.
    func waitUntil<T: KubeResource>(_ what: String, watching resource: T.Type = Pod.self, namespace: String? = nil,
                                    timeout: Int = 120, _ check: @escaping () async throws -> Bool) async throws {
        if try await check() { return }
        let list = try await client.list(T.self, namespace: namespace)
        if try await check() { return }
        let events = client.watch(T.self, namespace: namespace,
                                  options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: timeout))
        for try await _ in events { if try await check() { return } }
        if try await check() { return }
        throw HarnessTimeout(what: what)
    }

    // MARK: pods, driven through the API

    /// The run's pod (waits until the Job controller made it).
    func pod(of run: AgentRun) async throws -> Pod {
        let ns = run.status?.namespace ?? ""
        var found: Pod?
        try await waitUntil("pod of \(run.metadata.name ?? "")") {
            found = try await client.list(Pod.self, namespace: ns,
                                          options: ListOptions(labelSelector: "\(RunLabels.run)=\(run.metadata.name ?? "")")).items.first
            return found != nil
        }
        return found!
    }

    /// PATCHes the pod's status, as a kubelet would report it.
    func setPodStatus(of run: AgentRun, _ status: JSONValue) async throws {
        let pod = try await pod(of: run)
        _ = try await client.patch(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                   .merge(["status": status]), subresource: "status")
    }

    func podRunning(_ run: AgentRun) async throws {
        try await setPodStatus(of: run, ["phase": "Running", "containerStatuses": [[
            "name": "agent", "image": "img", "imageID": "", "ready": true, "restartCount": 0, "started": true,
            "state": ["running": ["startedAt": "2030-01-01T00:00:00Z"]]]]])
    }

    /// A container stuck waiting; the pod is not Ready since `since` (the kubelet's report).
    func podWaiting(_ run: AgentRun, reason: String, message: String, since: KubeTime) async throws {
        try await setPodStatus(of: run, ["phase": "Pending",
                                         "conditions": [["type": "Ready", "status": "False", "reason": "ContainersNotReady",
                                                         "lastTransitionTime": .string(since.rfc3339)]],
                                         "containerStatuses": [[
            "name": "agent", "image": "img", "imageID": "", "ready": false, "restartCount": 0,
            "state": ["waiting": ["reason": .string(reason), "message": .string(message)]]]]])
    }

    func podFinished(_ run: AgentRun, exitCode: Int, message: String? = nil) async throws {
        var terminated: JSONValue = ["exitCode": .int(Int64(exitCode)), "reason": exitCode == 0 ? "Completed" : "Error",
                                     "startedAt": "2030-01-01T00:00:00Z", "finishedAt": "2030-01-01T00:01:00Z"]
        if let message { terminated["message"] = .string(message) }
        try await setPodStatus(of: run, ["phase": exitCode == 0 ? "Succeeded" : "Failed", "containerStatuses": [[
            "name": "agent", "image": "img", "imageID": "", "ready": false, "restartCount": 0,
            "state": ["terminated": terminated]]]])
    }

    /// Managed objects labelled for run `name` in its namespace, by kind.
    func objects(of run: AgentRun) async throws -> [String: Int] {
        let ns = run.status?.namespace ?? ""
        let selector = ListOptions(labelSelector: "\(RunLabels.run)=\(run.metadata.name ?? "")")
        return [
            "Namespace": try await client.list(Namespace.self, options: selector).items.count,
            "RunNamespace": try await client.list(RunNamespace.self, options: selector).items.count,
            "ServiceAccount": try await client.list(ServiceAccount.self, namespace: ns, options: selector).items.count,
            "RoleBinding": try await client.list(RoleBinding.self, namespace: ns, options: selector).items.count,
            "ResourceQuota": try await client.list(ResourceQuota.self, namespace: ns, options: selector).items.count,
            "LimitRange": try await client.list(LimitRange.self, namespace: ns, options: selector).items.count,
            "NetworkPolicy": try await client.list(NetworkPolicy.self, namespace: ns, options: selector).items.count,
            "Secret": try await client.list(Secret.self, namespace: ns, options: selector).items.count,
            "Job": try await client.list(Job.self, namespace: ns, options: selector).items.count,
        ]
    }

    static let oneOfEach = ["Namespace": 1, "RunNamespace": 1, "ServiceAccount": 1, "RoleBinding": 1, "ResourceQuota": 1,
                            "LimitRange": 1, "NetworkPolicy": 1, "Secret": 1, "Job": 1]
}

struct RunningOperator {
    let runtime: OperatorRuntime
    let task: Task<Void, Never>

    /// Returns once no key is queued or being reconciled (after `requeueAll()`, say). Watch events
    /// still in flight may queue more later; use it to check that something did NOT happen.
    func settle() async { await runtime.controller.queue.settle() }

    func stop() async {
        task.cancel()
        await task.value
    }
}

extension WorkQueue {
    /// Returns once no key is queued or being processed (drained, then checked, until both hold).
    func settle() async {
        while true {
            await drain()
            let stats = self.stats
            if stats.depth == 0 && stats.processing == 0 { return }
            await Task.yield()
        }
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

import Foundation
import KubeAPI
import KubeClient
import Runs
import Synchronization
import TestSupport

/// The real kubectl with one kubeconfig.
struct Kubectl: Sendable {
    var kubeconfig: String

    func run(_ arguments: [String]) async throws -> Command.Result {
        // A discovery cache of its own: kubectl caches discovery per host:port for minutes, and a
        // port reused from an earlier test server would resolve `agentruns` to that server's groups.
        try await Command.run(Cluster.kubectl ?? "kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", kubeconfig + ".cache"] + arguments)
    }

    /// stdout of a command that must succeed (else an `E2EFailure` with kubectl's output).
    @discardableResult
    func must(_ arguments: [String]) async throws -> String {
        let r = try await run(arguments)
        guard r.status == 0 else { throw E2EFailure("kubectl \(arguments.joined(separator: " ")): \(r.out)\(r.err)") }
        return r.out
    }
}

/// Waiting on the API (watches, never sleeps) and driving agent pods by patching their status.
extension Cluster {
    /// Re-checks `check` on every watch event of `resource` (in `namespace`, or everywhere) until it
    /// holds; throws `E2ETimeout` after `seconds`.
    func waitUntil(_ what: String, watching resource: ResourceDescriptor, namespace: String? = nil,
                   seconds: Double = 150, _ check: @escaping @Sendable () async throws -> Bool) async throws {
        let admin = self.admin
        try await within(seconds, what) {
            while !Task.isCancelled {
                if try await check() { return }
                let list = try await admin.list(resource, namespace: namespace, options: ListOptions(limit: 1))
                if try await check() { return }
                let events = admin.watch(resource, namespace: namespace,
                                         options: WatchOptions(resourceVersion: list[path: ["metadata", "resourceVersion"]]?.stringValue,
                                                               timeoutSeconds: 60))
                for try await _ in events { if try await check() { return } }
            }
        }
    }

    func run(_ name: String) async throws -> AgentRun {
        try await admin.get(AgentRun.self, namespace: Self.namespace, name: name)
    }

    /// Waits until run `name` satisfies `condition`; returns it then.
    @discardableResult
    func waitForRun(_ name: String, _ what: String, seconds: Double = 150,
                    _ condition: @escaping @Sendable (AgentRun) -> Bool) async throws -> AgentRun {
        let last = LastSeen<AgentRun>()
        do {
            try await waitUntil("run \(name): \(what)", watching: AgentRun.resource, namespace: Self.namespace, seconds: seconds) {
                guard let run = try? await self.run(name) else { return false }
                last.set(run)
                return condition(run)
            }
        } catch let timeout as E2ETimeout {
            throw E2ETimeout(what: "\(timeout.what); last status: \(String(describing: last.value?.status))")
        }
        return last.value!
    }

    @discardableResult
    func waitForPhase(_ name: String, _ phase: AgentRunPhase, seconds: Double = 150) async throws -> AgentRun {
        try await waitForRun(name, "phase \(phase.rawValue)", seconds: seconds) { $0.status?.phase == phase }
    }

    /// The agent pod of a provisioned run (made by the Job controller), once it exists.
    func agentPod(of name: String) async throws -> (namespace: String, pod: String) {
        let run = try await waitForRun(name, "a namespace and a Job") { $0.status?.namespace != nil && $0.status?.jobName != nil }
        let (ns, job) = (run.status!.namespace!, run.status!.jobName!)
        let found = LastSeen<String>()
        try await waitUntil("the pod of Job \(ns)/\(job)", watching: Pod.resource, namespace: ns) {
            let pods = try await self.admin.list(Pod.self, namespace: ns, options: ListOptions(labelSelector: "job-name=\(job)"))
            if let pod = pods.items.first?.metadata.name { found.set(pod) }
            return found.value != nil
        }
        return (ns, found.value!)
    }

    /// The kubelet's part, done with kubectl: the agent container started (Running, Ready).
    func startAgent(_ pod: (namespace: String, pod: String)) async throws {
        let now = KubeTime.now().description
        try await patchPodStatus(pod, """
            {"status":{"phase":"Running","startTime":"\(now)",
             "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"\(now)"}],
             "containerStatuses":[{"name":"agent","image":"ghcr.io/codex-k8s/agent:latest","imageID":"","ready":true,
               "restartCount":0,"started":true,"state":{"running":{"startedAt":"\(now)"}}}]}}
            """)
    }

    /// The agent container exited with `exitCode` (0: the pod Succeeded, else Failed).
    func finishAgent(_ pod: (namespace: String, pod: String), exitCode: Int = 0) async throws {
        let now = KubeTime.now().description
        try await patchPodStatus(pod, """
            {"status":{"phase":"\(exitCode == 0 ? "Succeeded" : "Failed")",
             "conditions":[{"type":"Ready","status":"False","reason":"PodCompleted","lastTransitionTime":"\(now)"}],
             "containerStatuses":[{"name":"agent","image":"ghcr.io/codex-k8s/agent:latest","imageID":"","ready":false,
               "restartCount":0,"started":false,"state":{"terminated":{"exitCode":\(exitCode),
               "reason":"\(exitCode == 0 ? "Completed" : "Error")","startedAt":"\(now)","finishedAt":"\(now)"}}}]}}
            """)
    }

    private func patchPodStatus(_ pod: (namespace: String, pod: String), _ json: String) async throws {
        try await kubectl.must(["patch", "pod", pod.pod, "-n", pod.namespace, "--subresource=status", "--type=merge",
                                "-p", json.replacingOccurrences(of: "\n", with: "")])
    }

    /// Delivers `run:dev` on issue `issue` (label set `labels`, `run:dev` included) and returns the
    /// created AgentRun's name (the answer must be 202).
    func labelIssue(_ issue: Int64, _ label: String = "run:dev", labels: [String]? = nil) async throws -> String {
        let answer = try await deliver(.issueLabeled(repository: Self.repository, issue: issue, label: label,
                                                     labels: labels ?? [label]))
        guard answer.code == 202, let run = answer.run else { throw E2EFailure("webhook answered \(answer) to \(label)") }
        return run
    }

    /// Takes run `name` from its delivery to Succeeded through the agent pod; returns the final run.
    @discardableResult
    func runToSuccess(_ name: String) async throws -> AgentRun {
        let pod = try await agentPod(of: name)
        try await startAgent(pod)
        try await waitForPhase(name, .running)
        try await finishAgent(pod)
        return try await waitForPhase(name, .succeeded)
    }

    /// Whether namespace `name` exists.
    func namespaceExists(_ name: String) async throws -> Bool {
        do {
            _ = try await admin.get(Namespace.self, name: name)
            return true
        } catch .notFound {
            return false
        }
    }

    /// Whether RunNamespace `name` exists.
    func runNamespaceExists(_ name: String) async throws -> Bool {
        do {
            _ = try await admin.get(RunNamespace.self, name: name)
            return true
        } catch .notFound {
            return false
        }
    }

    /// Names of every object of `kinds` (kubectl resource names) in `namespace`, by kind.
    func objects(_ kinds: [String], in namespace: String) async throws -> [String: [String]] {
        let out = try await kubectl.must(["get", kinds.joined(separator: ","), "-n", namespace, "-o", "name"])
        var byKind: [String: [String]] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            byKind[parts[0], default: []].append(parts[1])
        }
        return byKind
    }
}

/// The last value a watch check saw (for the result and for timeout messages).
final class LastSeen<T: Sendable>: Sendable {
    private let box = Mutex<T?>(nil)
    func set(_ value: T) { box.withLock { $0 = value } }
    var value: T? { box.withLock { $0 } }
}

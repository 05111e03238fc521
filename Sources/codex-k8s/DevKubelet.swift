import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Logging
import Operator
import Runs

/// The playground's kubelet: drives every agent pod the fake job controller creates, through
/// KubeTestServer's `FakeKubelet` (real writes, real watch events). A new pod goes Running at
/// once, then — after `agentDelay` — Succeeded (exit 0). The pod's AgentRun (label
/// `codex-k8s.dev/run`, in the control namespace) steers it with annotation
/// `codex-k8s.dev/dev-outcome`: `fail` → the container exits 1 (Job Failed); `hold` → it keeps
/// running for as long as the annotation says so (re-read every second after the delay).
///
/// It lives here, not in KubeTestServer, because it reads an AgentRun annotation: product vocabulary.
struct DevKubelet: Sendable {
    static let outcomeAnnotation = "codex-k8s.dev/dev-outcome"

    let server: KubeTestServer
    let client: KubeClient
    let controlNamespace: String
    let agentDelay: Duration
    let logger: Logger

    /// Watches agent pods until cancelled (re-listing after a watch ends or fails).
    func run() async {
        var seen = Set<String>()
        while !Task.isCancelled {
            do {
                let list = try await client.listAll(Pod.resource, options: ListOptions(labelSelector: RunLabels.managedSelector))
                for pod in list.items { handle(pod, &seen) }
                let events = client.watch(Pod.resource, options: WatchOptions(labelSelector: RunLabels.managedSelector,
                                                                                resourceVersion: list.resourceVersion,
                                                                                timeoutSeconds: 300))
                for try await event in events {
                    if case .added(let pod) = event { handle(pod, &seen) }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("dev kubelet: watch ended", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Starts a pod not seen before that is still Pending.
    private func handle(_ pod: JSONValue, _ seen: inout Set<String>) {
        guard let name = pod[path: ["metadata", "name"]]?.stringValue,
              let namespace = pod[path: ["metadata", "namespace"]]?.stringValue,
              let run = pod[path: ["metadata", "labels", RunLabels.run]]?.stringValue,
              pod[path: ["status", "phase"]]?.stringValue == "Pending",
              seen.insert("\(namespace)/\(name)").inserted else { return }
        // The operator names the Job after its AgentRun.
        Task { await drive(job: run, namespace: namespace) }
    }

    private func drive(job: String, namespace: String) async {
        do {
            try server.kubelet.run(job: job, namespace: namespace)
            logger.info("dev kubelet: pod running", metadata: ["run": "\(job)", "namespace": "\(namespace)"])
            try await Task.sleep(for: agentDelay)
            while try await outcome(of: job) == "hold" { try await Task.sleep(for: .seconds(1)) }
            let fail = try await outcome(of: job) == "fail"
            try server.kubelet.finish(job: job, namespace: namespace, exitCode: fail ? 1 : 0)
            logger.info("dev kubelet: pod finished", metadata: ["run": "\(job)", "exitCode": "\(fail ? 1 : 0)"])
        } catch {
            if !(error is CancellationError) {
                logger.warning("dev kubelet: cannot drive the pod", metadata: ["run": "\(job)", "error": "\(error)"])
            }
        }
    }

    /// The AgentRun's outcome annotation (nil when absent or the run is gone).
    private func outcome(of run: String) async throws -> String? {
        do {
            return try await client.get(AgentRun.self, namespace: controlNamespace, name: run).metadata.annotations?[Self.outcomeAnnotation]
        } catch where error.code == 404 {
            return nil
        }
    }
}

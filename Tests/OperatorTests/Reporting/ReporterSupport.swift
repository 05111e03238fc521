import Foundation
import GitHub
import KubeAPI
import KubeClient
import KubeRuntime
import Metrics
import Operator
import Runs
import Synchronization

/// A monotonic clock a test moves by hand (the reporter's rate-limit gate reads it).
final class SteppedClock: RuntimeClock {
    private let offset = Mutex(Duration.zero)
    func now() -> MonotonicInstant { MonotonicInstant(sinceOrigin: offset.withLock { $0 }) }
    func wallNow() -> Date { Date(timeIntervalSince1970: 1_900_000_000 + offset.withLock { $0 }.seconds) }
    func suspend(until deadline: MonotonicInstant) async throws {
        // Not used by the gate; sleeping in real time keeps the contract if anything calls it.
        try await Task.sleep(for: max(.zero, deadline - now()))
    }
    func advance(seconds: Int64) { offset.withLock { $0 += .seconds(seconds) } }
}

/// A started `GitHubReporter` over a harness; `stop()` ends it.
struct RunningReporter {
    let reporter: GitHubReporter
    let task: Task<Void, Never>

    /// Returns once no key is queued or being reported.
    func settle() async { await reporter.controller.queue.settle() }

    func stop() async {
        task.cancel()
        await task.value
    }
}

extension OperatorHarness {
    /// `sharing`: the operator's controllers whose caches the reporter reads (as `codex-k8s operator`
    /// wires it); start it before they run.
    func startReporter(_ github: InMemoryGitHub, workers: Int = 4, clock: any RuntimeClock = SystemRuntimeClock(),
                       metrics: (any MetricsFactory)? = nil,
                       sharing: (runs: Controller<AgentRun>, runNamespaces: Controller<RunNamespace>)? = nil) -> RunningReporter {
        let reporter = GitHubReporter(client: client, github: github, config: config, workers: workers,
                                      clock: clock,
                                      outageBackoff: PerKeyExponentialRateLimiter(base: .milliseconds(5), maximum: .seconds(1)),
                                      metricsFactory: metrics, logger: Self.quiet, sharing: sharing)
        let task = Task { await reporter.controller.run() }
        return RunningReporter(reporter: reporter, task: task)
    }

    /// Merge-patches the run's status, as the reconciler's writes would change it.
    func setStatus(_ name: String, _ status: JSONValue) async throws {
        _ = try await client.patchStatus(AgentRun.self, namespace: config.controlNamespace, name: name, .merge(["status": status]))
    }

    /// Waits until the run's status comment reports a state starting with `prefix`.
    @discardableResult
    func waitForReport(_ name: String, _ prefix: String) async throws -> AgentRun {
        try await waitForRun(name, "comment state \(prefix)") {
            $0.status?.report?.commentID != nil && $0.status?.report?.state(of: .comment)?.hasPrefix(prefix) == true
        }
    }
}

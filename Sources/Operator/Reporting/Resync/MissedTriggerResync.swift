import Foundation
import GitHub
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs
import Synchronization
import Webhook

/// What one resync pass did.
public struct ResyncOutcome: Sendable, Hashable {
    /// AgentRuns created for triggers no webhook delivery had created.
    public var created: [String] = []
    /// Issues and pull requests (`owner/name#N`) newly marked `need:input` for a trigger conflict.
    public var conflicts: [String] = []
    /// Repositories whose listing failed (retried next pass).
    public var failed: [String] = []
}

/// The missed-webhook resync (issue 13): every `interval`, lists the open issues and pull
/// requests of the allowed repositories and creates the runs of `run:*` labels that no delivery
/// created, through the webhook adapter's own planner and executor, so the dedup rules are the
/// same code: one trigger label per issue (else `trigger_conflict`), the PR's issue from its
/// body or its latest run, an active run of the same trigger is a duplicate, the per-trigger lock
/// and the quorum LIST before the create.
///
/// On top of the adapter's rules, a label the resync sees is "missed" only when no AgentRun of
/// that trigger (and pull request) exists at all, in any phase — a finished run means the
/// delivery was not missed — and the issue carries no `state:*`/`need:*` label; the synthetic
/// delivery id is derived from the repository, number and label, so two passes (or two
/// replicas) name the same run and the second create is AlreadyExists. A trigger conflict gets
/// `need:input` and one comment naming the labels.
///
/// A `ManagedController` for the `Manager`: its pass runs only on the leader.
public final class MissedTriggerResync: ManagedController {
    public let name = "github-resync"
    let github: any GitHubAPI
    let planner: DeliveryPlanner
    let executor: DeliveryExecutor
    let allowedRepositories: [String]
    let interval: Duration
    let gate: RateLimitGate
    let metrics: ReporterMetrics
    let logger: Logger
    private let stopped = Mutex<(stopped: Bool, sleeper: Task<Void, any Error>?)>((false, nil))

    init(client: KubeClient, github: any GitHubAPI, config: OperatorConfig, interval: Duration, gate: RateLimitGate,
         metrics: ReporterMetrics, logger: Logger) {
        self.github = github
        self.planner = DeliveryPlanner(settings: config.webhook)
        self.executor = DeliveryExecutor(client: client, namespace: config.controlNamespace,
                                         cache: AgentRunCache(client: client, namespace: config.controlNamespace, logger: logger),
                                         closeGrace: config.graces.closeGrace, confirmsWithList: true, logger: logger)
        self.allowedRepositories = config.webhook.allowedRepositories
        self.interval = interval
        self.gate = gate
        self.metrics = metrics
        self.logger = logger
    }

    public var cachesReady: Bool { executor.cache.isSynced }
    /// Returns once the AgentRun cache has its first list.
    public func waitForCache() async { await executor.cache.store.waitUntilReady() }
    public func runCaches() async { await executor.cache.run() }

    public func runWorkers() async {
        await executor.cache.store.waitUntilReady()
        while !stopped.withLock({ $0.stopped }) && !Task.isCancelled {
            let outcome = await resyncOnce()
            if !outcome.created.isEmpty || !outcome.conflicts.isEmpty {
                logger.info("resync", metadata: ["created": "\(outcome.created)", "conflicts": "\(outcome.conflicts)"])
            }
            let interval = self.interval
            let sleeper = Task { try await Task.sleep(for: interval) }
            let stop = stopped.withLock { s -> Bool in
                s.sleeper = sleeper
                return s.stopped
            }
            if stop { sleeper.cancel() }
            try? await withTaskCancellationHandler { try await sleeper.value } onCancel: { sleeper.cancel() }
        }
    }

    public func shutDown() {
        let sleeper = stopped.withLock { s -> Task<Void, any Error>? in
            s.stopped = true
            return s.sleeper
        }
        sleeper?.cancel()
    }

    /// The repositories a pass lists: the exact entries of `webhook.allowedRepositories` (an
    /// `owner/*` pattern cannot be listed per repository) and the allowed repositories of the
    /// AgentRuns already known.
    func repositories() -> [String] {
        var repos = Set(allowedRepositories.filter { !$0.hasSuffix("/*") }.map { $0.lowercased() })
        for run in executor.cache.store.list() where planner.isAllowed(repository: run.spec.repository) {
            repos.insert(run.spec.repository.lowercased())
        }
        return repos.sorted()
    }

    /// One pass over every repository (tests call it directly).
    public func resyncOnce() async -> ResyncOutcome {
        var outcome = ResyncOutcome()
        for repository in repositories() {
            if gate.remaining() != nil {
                outcome.failed.append(repository)
                continue
            }
            do {
                for issue in try await github.listOpenIssues(repository: repository) {
                    try await resync(issue, repository: repository, into: &outcome)
                }
            } catch let error as GitHubError {
                metrics.failed(error)
                if case .rateLimited(let after) = error { gate.close(for: after) }
                logger.warning("resync of \(repository) failed: \(error)")
                outcome.failed.append(repository)
            } catch {
                logger.warning("resync of \(repository) failed: \(error)")
                outcome.failed.append(repository)
            }
        }
        return outcome
    }
}

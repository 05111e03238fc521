import Foundation
import KubeAPI
import KubeClient
import Runs

/// The lease end of a closed issue or pull request (SPEC §4, §6): records the close on every
/// AgentRun of the repository+issue (`IssueClosure`'s annotations, one merge patch per run that
/// does not have them yet); the operator's lease rules end the namespaces those runs used
/// `closeGrace` after the close. Annotating the runs — not the cluster-scoped RunNamespaces — keeps
/// the adapter inside its own namespace and permissions (patch on agentruns).
///
/// Contract (`IssueLeaseEnding`): idempotent — runs that already record a close are not written
/// again, so a redelivered close changes nothing; throws when a patch failed (the adapter answers
/// 503 and the redelivery finishes the rest); a run deleted meanwhile is skipped. The runs come from
/// the adapter's watch cache: a run created in the last moments before the close (not yet in the
/// cache) keeps its normal lease.
public struct RunLeaseCloser: IssueLeaseEnding {
    public let client: KubeClient
    public let namespace: String
    public let cache: AgentRunCache
    let wallClock: @Sendable () -> Date

    public init(client: KubeClient, namespace: String, cache: AgentRunCache, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.namespace = namespace
        self.cache = cache
        self.wallClock = wallClock
    }

    public func endLeases(repository: String, issue: Int64, after grace: RunDuration) async throws {
        let now = KubeTime(wallClock(), precision: .seconds)
        let repo = repository.lowercased()
        let runs = cache.store.list().filter {
            $0.metadata.namespace == namespace && $0.spec.repository.lowercased() == repo && $0.spec.issue == issue
                && !IssueClosure.isRecorded($0.metadata.annotations)
        }
        for run in runs {
            do {
                _ = try await client.patch(AgentRun.self, namespace: namespace, name: run.metadata.name ?? "",
                                           .merge(IssueClosure.patch(closedAt: now, grace: grace)))
            } catch {
                if !error.isNotFound { throw error }
            }
        }
    }
}

import KubeRuntime
import Runs

/// The secondary indexes the operator keeps on its AgentRun caches (`Store.addIndex`), so a
/// reconcile reads the few runs it needs instead of copying every cached run.
enum RunIndexes {
    /// By `status.phase` (no phase yet: `Pending`): gauges and the runs waiting for admission.
    static let phase = "phase"
    /// By `status.namespace`: the runs using a run namespace (lease state, last run).
    static let namespace = "status.namespace"
    /// By lowercased repository and issue: the runs of one repository+issue (sticky profile,
    /// supersession).
    static let issue = "repository+issue"

    static func issueValue(repository: String, issue: Int64) -> String { "\(repository.lowercased())#\(issue)" }

    /// Registers the three indexes on `store` (idempotent: several controllers may share a cache).
    static func register(on store: Store<AgentRun>) {
        store.addIndex(phase) { [($0.status?.phase ?? .pending).rawValue] }
        store.addIndex(namespace) { run in run.status?.namespace.map { [$0] } ?? [] }
        store.addIndex(issue) { [issueValue(repository: $0.spec.repository, issue: $0.spec.issue)] }
    }

    /// Registers `issue` on a RunNamespace cache (by its spec's repository and issue): the
    /// RunNamespaces an admitted run supersedes.
    static func register(onRunNamespaces store: Store<RunNamespace>) {
        store.addIndex(issue) { [issueValue(repository: $0.spec.repository, issue: $0.spec.issue)] }
    }
}

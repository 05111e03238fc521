import KubeAPI
import KubeRuntime
import Runs

/// Which RunNamespaces an AgentRun event concerns (the lease controller's AgentRun watch).
enum LeaseRunMapping {
    /// The namespace the run uses (`status.namespace`) and, for an admitted non-revise run, every
    /// other RunNamespace of its repository+issue+stage: its admission supersedes them (SPEC §6),
    /// so their lease end is decided again at once — not only when their old lease comes due.
    /// `runNamespaces` carries `RunIndexes.issue` (`RunNamespaceReconciler.attach` registers it).
    static func keys(of run: AgentRun, runNamespaces: Store<RunNamespace>) -> [ObjectKey] {
        guard let own = run.status?.namespace else { return [] }
        var keys = [ObjectKey(namespace: nil, name: own)]
        guard !run.spec.isRevise else { return keys }
        let repository = run.spec.repository.lowercased()
        let sameIssue = runNamespaces.objects(inIndex: RunIndexes.issue,
                                              value: RunIndexes.issueValue(repository: repository, issue: run.spec.issue))
        for rns in sameIssue where rns.metadata.name != own && rns.spec.issue == run.spec.issue
            && rns.spec.stage == run.spec.stage && rns.spec.repository.lowercased() == repository {
            if let name = rns.metadata.name { keys.append(ObjectKey(namespace: nil, name: name)) }
        }
        return keys
    }
}

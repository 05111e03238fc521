import Runs

extension RunLabels {
    /// Whose an object found under our name must be for provisioning to accept it.
    enum Owner: Sendable, Hashable {
        /// Made for this run (`codex-k8s.dev/run=<name>`): a fresh namespace.
        case run(String)
        /// Made by any run of this issue+stage: the objects of a reused namespace (revise, SPEC §6),
        /// created by the run that made the namespace.
        case key(issue: Int64, stage: Stage)

        func owns(_ labels: [String: String]?) -> Bool {
            switch self {
            case .run(let name): return RunLabels.isOurs(labels, run: name)
            case .key(let issue, let stage):
                return labels?[RunLabels.managedBy] == RunLabels.managedByValue && labels?[RunLabels.issue] == String(issue)
                    && labels?[RunLabels.stage] == stage.rawValue
            }
        }
    }
}

import KubeAPI
import Runs

/// How the lease controller judges the runs a RunNamespace's `status.activeRuns` names when its
/// cache shows none of them using the namespace (SPEC §6: never free a namespace a run may still
/// hold). `status.activeRuns` is written by a run start — provisioning records the new run, a
/// revise's renewal the reusing one — and the run's own status write (`status.namespace`) may not
/// have reached the cache yet.
///
/// Pure: `view` is what this process knows of a run — the shared AgentRun cache overlaid with the
/// AgentRun reconciler's own writes (`RunLedger.current`), or the cache alone.
///
/// Guarantees:
/// - `.held(run)`: a named run is known and not terminal, and is either placed in this namespace
///   or not placed yet (its status write is in flight). Nothing is read from the API: the run's
///   watch event (or the caller's re-check timer) brings the key back.
/// - `.absent(names)`: no named run is known to hold it, but these are not known at all — deleted,
///   or not listed yet. Only the API can tell these apart (a GET each); in one operator sharing its
///   AgentRun cache this happens only when a run was deleted before the lease controller saw it end.
/// - `.free`: every named run is known to be terminal or placed in another namespace.
enum RunStartSighting: Equatable {
    case held(run: String)
    case absent([String])
    case free

    static func judge(namespace: String, activeRuns: [String], view: (String) -> AgentRun?) -> RunStartSighting {
        var absent: [String] = []
        for name in activeRuns {
            guard let run = view(name) else {
                absent.append(name)
                continue
            }
            if run.status?.phase?.isTerminal == true { continue }
            if run.status?.namespace == nil || run.status?.namespace == namespace { return .held(run: name) }
        }
        return absent.isEmpty ? .free : .absent(absent)
    }
}

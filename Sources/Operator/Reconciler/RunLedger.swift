import Foundation
import Runs
import Synchronization

/// The operator's memory between a write and the watch event that reports it.
///
/// Guarantees:
/// - `current(_:)` returns the object as this process last wrote it while the cache still shows
///   an older version (one this process wrote over), so a reconcile never acts on a state it has
///   already changed (no duplicate writes, no 409s from stale resourceVersions); once the cache
///   shows the written version or a newer one, the cache wins and the entry is dropped.
/// - `reserved` runs count as holding a slot from the moment admission chose them until the cache
///   shows them admitted (or the admission write failed), so concurrent workers never over-admit.
/// - Nothing here must survive a restart: a new process reads everything back from the API
///   (back-off grace periods restart, which can only fail a run later, never earlier).
final class RunLedger: Sendable {
    struct Written: Sendable {
        var staleVersions: Set<String>
        var object: AgentRun
    }

    struct State: Sendable {
        var written: [String: Written] = [:]
        var reserved: Set<String> = []
        var provisioned: Set<String> = []
        var stuckSince: [String: Date] = [:]
    }

    private let state = Mutex(State())
    /// Serialises admission decisions (read all runs, decide, reserve).
    let admission = Mutex(())
    /// Called with a run's name after `record`, `forget`, `reserve` and `release` (outside the lock).
    /// Boxed in a struct: a bare optional closure in a `Mutex` is re-wrapped in two reabstraction
    /// thunks by every `withLock` (its `inout` round trip), so each call would get slower.
    private let observer = Mutex<ChangeHandler?>(nil)
    private struct ChangeHandler: Sendable { let call: @Sendable (String) -> Void }

    func onChange(_ handler: @escaping @Sendable (String) -> Void) { observer.withLock { $0 = ChangeHandler(call: handler) } }

    private func changed(_ name: String) { observer.withLock { $0 }?.call(name) }

    func current(_ cached: AgentRun) -> AgentRun {
        let name = cached.metadata.name ?? ""
        return state.withLock { s in
            guard let w = s.written[name] else { return cached }
            if let rv = cached.metadata.resourceVersion, w.staleVersions.contains(rv) { return w.object }
            s.written[name] = nil
            return cached
        }
    }

    /// Records that `object` was written over the version `previousVersion`.
    func record(_ object: AgentRun, over previousVersion: String?) {
        let name = object.metadata.name ?? ""
        state.withLock { s in
            var stale = s.written[name]?.staleVersions ?? []
            if let previousVersion { stale.insert(previousVersion) }
            s.written[name] = Written(staleVersions: stale, object: object)
        }
        changed(name)
    }

    func forget(_ name: String) {
        state.withLock { s in
            s.written[name] = nil
            s.reserved.remove(name)
            s.provisioned.remove(name)
            s.stuckSince = s.stuckSince.filter { !$0.key.hasPrefix("\(name)|") }
        }
        changed(name)
    }

    func isReserved(_ name: String) -> Bool { state.withLock { $0.reserved.contains(name) } }
    func reserve(_ name: String) {
        _ = state.withLock { $0.reserved.insert(name) }
        changed(name)
    }

    func release(_ name: String) {
        _ = state.withLock { $0.reserved.remove(name) }
        changed(name)
    }

    /// Provisioning of run `name` finished in this process (the Job was created or found).
    func markProvisioned(_ name: String) { _ = state.withLock { $0.provisioned.insert(name) } }
    func isProvisioned(_ name: String) -> Bool { state.withLock { $0.provisioned.contains(name) } }

    /// When this process first saw run `name` stuck with `key` (now, if it had not).
    func stuckSince(run name: String, key: String, now: Date) -> Date {
        state.withLock { s in
            let k = "\(name)|\(key)"
            if let t = s.stuckSince[k] { return t }
            s.stuckSince[k] = now
            return now
        }
    }
}

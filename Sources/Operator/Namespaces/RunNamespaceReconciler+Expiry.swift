import Audit
import KubeAPI
import KubeClient
import KubeRuntime
import Runs

extension RunNamespaceReconciler {
    /// The lease ended by the cache's account: re-read the RunNamespace from the API, decide again
    /// on what was read, and claim it (status `Expired`, conditional on that resourceVersion) before
    /// deleting anything. A renewal that landed in between either shows in the read (no expiry) or
    /// makes the claim fail with a conflict; both leave the namespace alone, and the watch event of
    /// that renewal brings the key back.
    func expire(_ key: ObjectKey) async throws -> Action {
        guard let fresh = try await getIfPresent(RunNamespace.self, key.name), fresh.metadata.deletionTimestamp == nil else {
            return .awaitChange
        }
        switch fresh.status?.phase {
        case .expired?, .terminating?: return try await finishExpiry(fresh)
        case .active?, .retained?: break
        default: return .awaitChange
        }
        guard case .expire(let cause) = LeasePolicy.decide(leaseState(fresh), now: now, graces: config.graces) else {
            return .awaitChange
        }
        if let run = try await activeButUnseen(fresh) {
            logger.info("run namespace \(key.name) not expired: run \(run) started in it and is not cached yet",
                        metadata: ["namespace": "\(key.name)", "run": "\(run)"])
            // Its watch event brings the key back; the re-check frees it if it never names this namespace.
            return .requeue(after: .seconds(60))
        }
        var status = fresh.status ?? RunNamespaceStatus()
        status.phase = .expired
        status.activeRuns = []
        await faultPoints.reach("claim RunNamespace \(key.name)")
        try beforeWrite("status of RunNamespace \(key.name)")
        guard let claimed = try await claim(status, of: fresh) else {
            return .awaitChange // renewed or changed since the read: its watch event brings the key back
        }
        logger.info("run namespace \(key.name) expired", metadata: ["namespace": "\(key.name)", "cause": "\(cause.rawValue)"])
        return try await finishExpiry(claimed)
    }

    /// Deletes the Namespace (never one without both managed-by and purpose labels), marks the
    /// RunNamespace `Terminating`, and deletes the RunNamespace once the Namespace is gone (read
    /// from the API, not the cache). The Namespace watch brings the key back when it disappears.
    func finishExpiry(_ rns: RunNamespace) async throws -> Action {
        let name = rns.metadata.name ?? ""
        if let ns = try await getIfPresent(Namespace.self, name) {
            guard RunNamespaceScope(config).contains(ns) else {
                logger.error("namespace \(name) lacks the run namespace labels; not deleting it", metadata: ["namespace": "\(name)"])
                return .awaitChange
            }
            if ns.metadata.deletionTimestamp == nil {
                try beforeWrite("delete Namespace \(name)")
                guard try await deleteIfPresent(Namespace.self, name, uid: ns.metadata.uid) else { return .requeue(after: .zero) }
            }
            if rns.status?.phase != .terminating {
                var status = rns.status ?? RunNamespaceStatus()
                status.phase = .terminating
                // Changed or gone since the claim: the watch event brings the key back.
                guard try await claim(status, of: rns) != nil else { return .awaitChange }
            }
            return .awaitChange
        }
        try beforeWrite("delete RunNamespace \(name)")
        guard try await deleteIfPresent(RunNamespace.self, name, uid: rns.metadata.uid) else { return .awaitChange }
        emit(.namespaceCleaned(namespace: name), rns)
        return .awaitChange
    }

    /// A run `status.activeRuns` names (a run start recorded it: provisioning or a revise's renewal)
    /// that the runs cache does not show using the namespace, but that is not known to be terminal
    /// or placed elsewhere: the cache lags behind that run start. The lease rules read the cache, so
    /// without this a lagging cache could schedule (or expire) as if nobody used it.
    ///
    /// Decided from the cache overlaid with the AgentRun reconciler's own writes (`written`), with
    /// no API read (`RunStartSighting`); only a named run this process does not know at all is read
    /// from the API (deleted, or not listed yet).
    func activeButUnseen(_ rns: RunNamespace) async throws -> String? {
        let name = rns.metadata.name ?? ""
        let overlay = written.withLock { $0 }
        let sighting = RunStartSighting.judge(namespace: name, activeRuns: rns.status?.activeRuns ?? []) { runName in
            stores.runs.get(ObjectKey(namespace: config.controlNamespace, name: runName)).map { overlay?.current($0) ?? $0 }
        }
        switch sighting {
        case .held(let run): return run
        case .free: return nil
        case .absent(let names):
            for runName in names {
                let run: AgentRun
                do {
                    run = try await client.get(AgentRun.self, namespace: config.controlNamespace, name: runName)
                } catch {
                    if error.isNotFound { continue }
                    throw error
                }
                if run.status?.phase?.isTerminal == true { continue }
                if run.status?.namespace == nil || run.status?.namespace == name { return runName }
            }
            return nil
        }
    }

    /// GET from the API (not the cache); `nil` on 404.
    func getIfPresent<T: KubeResource>(_ type: T.Type, _ name: String) async throws -> T? {
        do {
            return try await client.get(T.self, name: name)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// A status write conditional on `rns`'s resourceVersion; `nil` on 409 or 404 (it changed).
    func claim(_ status: RunNamespaceStatus, of rns: RunNamespace) async throws -> RunNamespace? {
        var updated = rns
        updated.status = status
        do {
            return try await client.replaceStatus(updated)
        } catch {
            if error.isConflict || error.isNotFound { return nil }
            throw error
        }
    }

    /// DELETE with a UID precondition; false on 404 (already gone).
    func deleteIfPresent<T: KubeResource>(_ type: T.Type, _ name: String, uid: String?) async throws -> Bool {
        do {
            try await client.delete(T.self, name: name, options: DeleteOptions(preconditionUID: uid))
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }
}

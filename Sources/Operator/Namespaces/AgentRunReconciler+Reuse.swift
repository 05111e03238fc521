import Audit
import KubeAPI
import KubeClient
import Runs

/// Where an admitted revise run goes (SPEC §6).
enum RevisePlacement: Sendable, Hashable {
    /// Into `namespace`, whose lease was extended from now to `leaseExpiresAt`.
    case reused(namespace: String, leaseExpiresAt: KubeTime)
    /// Into a fresh namespace.
    case fresh(ReuseMissCause, previous: String?)
}

/// The RunNamespace kept changing under a revise's renewal; the controller retries with back-off.
struct ReuseConflict: Error, CustomStringConvertible {
    var namespace: String
    var attempts: Int
    var description: String { "RunNamespace \(namespace) changed during each of \(attempts) renewal attempts" }
}

extension AgentRunReconciler {
    /// Conflicts in a row after which a revise placement gives up (the controller retries with back-off).
    static let reuseAttempts = 5

    /// Revise reuse (SPEC §6): reads the RunNamespaces of the run's repository+issue+stage from the
    /// API (one label-selected LIST, not a cache), decides with `ReusePolicy`, checks that the
    /// Namespace is there and not being deleted, and renews the lease from now with a status PUT
    /// conditional on the resourceVersion it read (`LeasePolicy.renewed`: the run becomes active
    /// and the last run). A 409 (or 404) means the RunNamespace changed since the read — e.g. an
    /// expiry claimed it — so it reads again and decides again; a claimed namespace is then a miss.
    ///
    /// This is one half of the race closed by construction: expiry claims a RunNamespace only with
    /// a write conditional on a version whose lease it found ended, and a renewal moves the lease
    /// past now; whichever write lands second fails with 409 and re-decides on what the first wrote.
    func placeRevise(_ run: AgentRun, mode: RunMode) async throws -> RevisePlacement {
        let name = run.metadata.name ?? ""
        let selector = "\(RunLabels.managedSelector),\(RunLabels.issue)=\(run.spec.issue),\(RunLabels.stage)=\(run.spec.stage.rawValue)"
        var attempt = 0
        while true {
            attempt += 1
            let now = self.now
            let listed = try await client.list(RunNamespace.self, options: ListOptions(labelSelector: selector)).items
                .filter { ($0.metadata.name ?? "").hasPrefix(config.namespacePrefix + "-") }
            let rns: RunNamespace
            switch ReusePolicy.decide(listed, repository: run.spec.repository, issue: run.spec.issue, stage: run.spec.stage,
                                      mode: mode, now: now) {
            case .miss(let cause, let previous): return .fresh(cause, previous: previous)
            case .reuse(let candidate): rns = candidate
            }
            let namespace = rns.metadata.name ?? ""
            guard let ns = try await namespaceIfPresent(namespace) else { return .fresh(.missing, previous: namespace) }
            if ns.metadata.deletionTimestamp != nil { return .fresh(.terminating, previous: namespace) }
            var renewed = rns
            renewed.status = LeasePolicy.renewed(rns.status, by: name, ttl: config.ttl(for: run.spec.stage.role), now: now)
            await faultPoints.reach("renew RunNamespace \(namespace)")
            try beforeWrite("status of RunNamespace \(namespace)")
            if let written = try await replaceIfUnchanged(renewed) {
                let lease = written.status?.leaseExpiresAt ?? now
                try await mirrorLease(lease, on: namespace)
                return .reused(namespace: namespace, leaseExpiresAt: lease)
            }
            logger.info("run namespace \(namespace) changed while \(name) was renewing it; deciding again",
                        metadata: ["run": "\(name)", "namespace": "\(namespace)"])
            if attempt >= Self.reuseAttempts { throw ReuseConflict(namespace: namespace, attempts: attempt) }
        }
    }

    /// GET the Namespace; `nil` on 404.
    func namespaceIfPresent(_ name: String) async throws -> Namespace? {
        do {
            return try await client.get(Namespace.self, name: name)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// PUT of `/status` conditional on `rns`'s resourceVersion; `nil` on 409 or 404 (it changed).
    func replaceIfUnchanged(_ rns: RunNamespace) async throws -> RunNamespace? {
        do {
            return try await client.replaceStatus(rns)
        } catch {
            if error.isConflict || error.isNotFound { return nil }
            throw error
        }
    }

    /// Sets the Namespace's `codex-k8s.dev/lease-expires-at` to the renewed lease (merge patch).
    func mirrorLease(_ lease: KubeTime, on namespace: String) async throws {
        try beforeWrite("lease annotation of Namespace \(namespace)")
        let patch = Patch.merge(.object([
            "metadata": .object(["annotations": .object([RunLabels.leaseAnnotation: .string(lease.rfc3339)])]),
        ]))
        do {
            _ = try await client.patch(Namespace.self, name: namespace, patch)
        } catch {
            // Deleted by someone else since the read: the run's provisioning fails and says so.
            if !error.isNotFound { throw error }
        }
    }

    /// The audit events of a revise placement, once the run's status records it.
    func emitPlacement(_ placement: RevisePlacement, _ run: AgentRun) {
        switch placement {
        case .reused(let namespace, let lease):
            emit(.namespaceReused(namespace: namespace, leaseExpiresAt: lease), run)
            emit(.namespaceTTLExtended(namespace: namespace, leaseExpiresAt: lease), run)
        case .fresh(let cause, let previous):
            emit(.namespaceReuseMissed(cause: cause.rawValue, previousNamespace: previous), run)
        }
    }
}

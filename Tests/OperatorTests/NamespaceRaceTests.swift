import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
@testable import Operator
import Runs
import Synchronization
import Testing
import TestSupport

/// Opens once; everyone waiting (and everyone who comes later) goes on. Waits are bounded and
/// cancellation-aware: a test whose gate never opens fails with what it waited for instead of hanging.
final class Gate: Sendable {
    private struct State {
        var open = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Waits until the gate opens; throws `HarnessTimeout` after `patience`, `CancellationError` when cancelled.
    func wait(_ what: String, patience: Duration = .seconds(120)) async throws {
        guard await opened(within: patience) else {
            try Task.checkCancellation()
            throw HarnessTimeout(what: what)
        }
    }

    /// For the operator's side (a fault point): waits until the gate opens, for at most `patience`
    /// — a test that failed before opening it must not leave a reconcile parked forever.
    func pass(patience: Duration = .seconds(120)) async {
        _ = await opened(within: patience)
    }

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            s.open = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume(returning: true) }
    }

    /// True once open; false when `patience` passes or the task is cancelled first.
    private func opened(within patience: Duration) async -> Bool {
        let id = state.withLock { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        let resolve: @Sendable (Bool) -> Void = { [self] value in
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: value)
        }
        let timer = Task {
            try? await Task.sleep(for: patience)
            resolve(false)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { s -> Bool? in
                    if s.open { return true }
                    if Task.isCancelled { return false }
                    s.waiters[id] = c
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        } onCancel: {
            resolve(false)
        }
    }
}

/// The race of SPEC §6 / issue 11: a revise arriving while its namespace is being expired. Repeated
/// with seeded random interleavings — forced orders through the fault points (revise paused between
/// its read and its renewal while the expiry claims; expiry paused between its re-read and its
/// claim while the revise renews; one entirely before the other) and free races with random
/// injected delays at both points. Every time the revise ends up in the namespace it reused, which
/// then lives, or in a fresh one — never in one being expired. No timing decides it: both writes
/// are conditional on the resourceVersion each decided on.
///
/// The revise's operator reads its clock inside the old lease; the lease reconciler reads a clock
/// past it (but inside the renewed lease), so each side, on its own, is right to act.
@Suite(.serialized) struct NamespaceRaceTests {
    enum Schedule: Int, CaseIterable {
        case expiryFirst, reviseReadThenExpiryClaims, expiryReadThenReviseRenews, reviseFirst, freeRace
    }

    @Test func aReviseRacingAnExpiryNeverLandsInATerminatingNamespace() async throws {
        try await OperatorHarness.with(slots: (1000, 1000), customize: { $0.namespaceTTL.byRole[.dev] = .hours(1) }) { h in
            let op = h.startOperator()
            let expiryClock = TestWallClock()
            expiryClock.advance(seconds: 120) // the old leases end at +60 s; a renewal at +0 lasts until +3600 s
            let leases = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: expiryClock.closure,
                                               logger: OperatorHarness.quiet)
            // Caches only: the test runs the expiry itself, at the moment the schedule says.
            let caches = Task { await leases.controller.runCaches() }
            try await NamespaceLeaseTests.Running.waitFor("lease caches") { leases.controller.cachesReady }
            var rng = SplitMix(seed: 0x11_5EED)
            var outcomes: [String: Int] = [:]
            let iterations = 200
            for i in 0..<iterations {
                let schedule = Schedule(rawValue: Int(rng.next() % UInt64(Schedule.allCases.count)))!
                let delays = (Int(rng.next() % 2000), Int(rng.next() % 2000))
                let outcome = try await Self.iteration(h, op, leases, issue: Int64(1000 + i), schedule: schedule, delays: delays)
                outcomes["\(schedule) → \(outcome)", default: 0] += 1
            }
            // Both outcomes happened, each forced order gave the one it must give.
            #expect(outcomes["expiryFirst → fresh"] ?? 0 > 0 && outcomes["expiryFirst → reused"] == nil, "\(outcomes)")
            #expect(outcomes["reviseReadThenExpiryClaims → fresh"] ?? 0 > 0 && outcomes["reviseReadThenExpiryClaims → reused"] == nil,
                    "\(outcomes)")
            #expect(outcomes["expiryReadThenReviseRenews → reused"] ?? 0 > 0 && outcomes["expiryReadThenReviseRenews → fresh"] == nil,
                    "\(outcomes)")
            #expect(outcomes["reviseFirst → reused"] ?? 0 > 0 && outcomes["reviseFirst → fresh"] == nil, "\(outcomes)")
            #expect(outcomes.values.reduce(0, +) == iterations)
            op.runtime.reconciler.faultPoints.set(nil)
            leases.reconciler.faultPoints.set(nil)
            caches.cancel()
            await caches.value
            await op.stop()
        }
    }

    /// One revise against one expiring namespace; returns "reused" or "fresh" after checking the invariant.
    static func iteration(_ h: OperatorHarness, _ op: RunningOperator, _ leases: NamespaceLeaseRuntime, issue: Int64,
                          schedule: Schedule, delays: (Int, Int)) async throws -> String {
        let old = try await previousNamespace(h, issue: issue)
        try await NamespaceLeaseTests.Running.waitFor("RunNamespace \(old) cached") {
            leases.controller.store.get(ObjectKey(namespace: nil, name: old))?.status?.phase == .active
        }
        let key = ObjectKey(namespace: nil, name: old)
        let run = "rev-\(issue)"
        let reviseAtRead = Gate(), releaseRevise = Gate(), expiryAtClaim = Gate(), releaseExpiry = Gate()
        defer { // however this iteration ends, no reconcile stays parked at a fault point
            releaseRevise.open()
            releaseExpiry.open()
        }
        op.runtime.reconciler.faultPoints.set { point in
            guard point == "renew RunNamespace \(old)" else { return }
            switch schedule {
            case .reviseReadThenExpiryClaims:
                reviseAtRead.open()
                await releaseRevise.pass()
            case .freeRace: try? await Task.sleep(for: .microseconds(delays.0))
            default: break
            }
        }
        leases.reconciler.faultPoints.set { point in
            guard point == "claim RunNamespace \(old)" else { return }
            switch schedule {
            case .expiryReadThenReviseRenews:
                expiryAtClaim.open()
                await releaseExpiry.pass()
            case .freeRace: try? await Task.sleep(for: .microseconds(delays.1))
            default: break
            }
        }
        let client = h.client
        let expire: @Sendable () async throws -> Void = { try await reconcile(leases, client, key) }
        switch schedule {
        case .expiryFirst:
            try await expire()
            try await NamespaceReuseTests.create(h, run, issue: issue, revise: true)
        case .reviseReadThenExpiryClaims:
            try await NamespaceReuseTests.create(h, run, issue: issue, revise: true)
            try await reviseAtRead.wait("the revise to reach its renewal of \(old)")
            try await expire()
            releaseRevise.open()
        case .expiryReadThenReviseRenews:
            let expiry = Task { try await expire() }
            try await expiryAtClaim.wait("the expiry to reach its claim of \(old)")
            try await NamespaceReuseTests.create(h, run, issue: issue, revise: true)
            _ = try await h.waitForRun(run, "placed") { $0.status?.namespace != nil }
            releaseExpiry.open()
            try await Self.value(of: expiry)
        case .reviseFirst:
            try await NamespaceReuseTests.create(h, run, issue: issue, revise: true)
            _ = try await h.waitForRun(run, "placed") { $0.status?.namespace != nil }
            try await expire()
        case .freeRace:
            let expiry = Task { try await expire() }
            try await NamespaceReuseTests.create(h, run, issue: issue, revise: true)
            try await Self.value(of: expiry)
        }
        let placed = try await h.waitForRun(run, "placed") { $0.status?.namespace != nil }
        // Whatever the expiry does now (its cache caught up, the clock past the old lease) changes nothing.
        let current = try await h.client.get(RunNamespace.self, name: old).metadata.resourceVersion
        try await NamespaceLeaseTests.Running.waitFor("RunNamespace \(old) cached at \(current ?? "-")") {
            leases.controller.store.get(key)?.metadata.resourceVersion == current
        }
        try await reconcile(leases, h.client, key)
        let ns = try #require(placed.status?.namespace)
        let what = "issue \(issue), \(schedule): run in \(ns), old \(old)"
        var namespace = try? await h.client.get(Namespace.self, name: ns)
        if ns != old { // a fresh one is created after the status write
            try await h.waitUntil("namespace \(ns)", watching: Namespace.self) {
                namespace = try? await h.client.get(Namespace.self, name: ns)
                return namespace != nil
            }
        }
        #expect(namespace != nil && namespace?.metadata.deletionTimestamp == nil, "\(what): the run's namespace is gone or being deleted")
        if ns == old {
            #expect(placed.status?.reusedNamespace == true, "\(what)")
            let rns = try await h.client.get(RunNamespace.self, name: old)
            #expect(rns.status?.phase == .active && rns.status?.leaseRenewedAt == KubeTime(h.clock.now), "\(what): \(String(describing: rns.status))")
            return "reused"
        }
        #expect(placed.status?.reusedNamespace == false, "\(what)")
        let rns = try? await h.client.get(RunNamespace.self, name: old)
        #expect(rns == nil || rns?.status?.phase == .expired || rns?.status?.phase == .terminating, "\(what): \(String(describing: rns?.status))")
        try await h.audit.waitFor(run: run, "run.namespace.reuse_missed")
        return "fresh"
    }

    /// The task's value; cancelling the waiting task cancels `task` too (a bare `task.value` would
    /// not pass the cancellation on, and a cancelled test would wait on it forever).
    static func value<T: Sendable>(of task: Task<T, any Error>) async throws -> T {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// One reconcile of the lease controller, retried like the controller does when its cached copy
    /// was stale (409): once the cache has the API's version.
    static func reconcile(_ leases: NamespaceLeaseRuntime, _ client: KubeClient, _ key: ObjectKey) async throws {
        while true {
            do {
                _ = try await leases.reconciler.reconcile(key)
                return
            } catch let error as KubeError where error.isConflict {
                let current = try? await client.get(RunNamespace.self, name: key.name).metadata.resourceVersion
                try await NamespaceLeaseTests.Running.waitFor("RunNamespace \(key.name) cached") {
                    leases.controller.store.get(key)?.metadata.resourceVersion == current
                }
            }
        }
    }

    /// The namespace of an earlier run of the key, as provisioning left it, its lease ending in 60 s.
    static func previousNamespace(_ h: OperatorHarness, issue: Int64) async throws -> String {
        let name = RunNames.namespace(prefix: h.config.namespacePrefix, repository: "acme/shop", issue: issue, stage: .dev,
                                      nonce: "prev-\(issue)")
        var labels = [RunLabels.managedBy: RunLabels.managedByValue, RunLabels.run: "prev-\(issue)", RunLabels.issue: String(issue),
                      RunLabels.stage: Stage.dev.rawValue, RunLabels.mode: RunMode.fullEnv.rawValue]
        var rns = try await h.client.create(RunNamespace(
            metadata: ObjectMeta(name: name, labels: labels, annotations: [RunLabels.repositoryAnnotation: "acme/shop"]),
            spec: RunNamespaceSpec(repository: "acme/shop", issue: issue, stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(1))))
        let now = KubeTime(h.clock.now)
        rns.status = RunNamespaceStatus(phase: .active, leaseExpiresAt: now.adding(seconds: 60), leaseRenewedAt: now.adding(seconds: -3540),
                                        renewals: 0, activeRuns: [], lastRun: "prev-\(issue)")
        _ = try await h.client.replaceStatus(rns)
        labels[RunLabels.purpose] = RunLabels.purposeRun
        _ = try await h.client.create(Namespace(metadata: ObjectMeta(name: name, labels: labels, annotations: [
            RunLabels.repositoryAnnotation: "acme/shop", RunLabels.leaseAnnotation: now.adding(seconds: 60).rfc3339,
        ])))
        return name
    }
}

extension NamespaceRaceTests {
    /// A run start the lease controller's cache has not seen yet (`status.activeRuns` names a run
    /// the cache shows unplaced: its status write is in flight) holds the lease, decided from the
    /// cache without asking the API: nothing is expired or rescheduled. Once that run is gone (the
    /// cache no longer knows it, and the API says 404), the lease ends as usual.
    @Test func aRunStartTheCacheHasNotSeenYetHoldsTheNamespace() async throws {
        try await OperatorHarness.with { h in
            let leases = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: h.clock.closure,
                                               logger: OperatorHarness.quiet)
            let caches = Task { await leases.controller.runCaches() } // no workers: the test reconciles
            try await NamespaceLeaseTests.Running.waitFor("lease caches") { leases.controller.cachesReady }
            try await h.createRun("starting", issue: 77) // no operator: it stays unplaced, as if its status write were in flight
            let runKey = ObjectKey(namespace: h.config.controlNamespace, name: "starting")
            try await NamespaceLeaseTests.Running.waitFor("run cached") { leases.reconciler.stores.runs.get(runKey) != nil }
            let name = try await Self.previousNamespace(h, issue: 77)
            var rns = try await h.client.get(RunNamespace.self, name: name)
            rns.status?.activeRuns = ["starting"] // what a revise's renewal records before the run's status
            _ = try await h.client.replaceStatus(rns)
            let key = ObjectKey(namespace: nil, name: name)
            let rv = try await h.client.get(RunNamespace.self, name: name).metadata.resourceVersion
            try await NamespaceLeaseTests.Running.waitFor("cached") {
                leases.controller.store.get(key)?.metadata.resourceVersion == rv
            }
            h.server?.requests.reset()
            // Before the recorded lease ends: not rescheduled as unused (no write, no ttl_scheduled).
            #expect(try await leases.reconciler.reconcile(key) == .requeue(after: .seconds(60)))
            #expect(try await h.client.get(RunNamespace.self, name: name).status?.activeRuns == ["starting"])
            h.clock.advance(seconds: 120) // past the recorded lease
            let held = try await leases.reconciler.reconcile(key)
            #expect(held == .requeue(after: .seconds(60)), "re-checked later, in case it never names this namespace")
            if let server = h.server { // in memory: the run was not read from the API (the expiry re-reads the RunNamespace)
                #expect(server.requests.count(verb: "get", resource: "agentruns.codex-k8s.dev") == 0, "\(server.requests.all.map { "\($0.verb) \($0.path)" })")
            }
            #expect(try await h.client.get(RunNamespace.self, name: name).status?.phase == .active)
            #expect(try await h.client.get(Namespace.self, name: name).metadata.deletionTimestamp == nil)
            #expect(!h.audit.names(run: "prev-77").contains("run.namespace.ttl_scheduled"))

            // The run goes away (the cache drops it; the API says 404): the lease ends.
            try await h.client.delete(AgentRun.self, namespace: h.config.controlNamespace, name: "starting")
            try await NamespaceLeaseTests.Running.waitFor("run gone from the cache") { leases.reconciler.stores.runs.get(runKey) == nil }
            _ = try await leases.reconciler.reconcile(key)
            let after = try await h.client.get(RunNamespace.self, name: name).status?.phase
            #expect(after == .terminating || after == .expired, "\(String(describing: after))")
            caches.cancel()
            await caches.value
        }
    }
}

import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Operator
import Runs
import Testing

/// The RunNamespace reconciler over HTTP (SPEC §6), with an injected wall clock: leases are
/// scheduled, mirrored, held by running runs, retained for debug runs and expired — Namespace first,
/// then the RunNamespace — without any real waiting. Runs unchanged on a real cluster.
@Suite(.serialized) struct NamespaceLeaseTests {
    /// Both controllers on one harness, sharing its clock, audit and the AgentRun cache (as the
    /// operator command wires them).
    struct Running {
        let h: OperatorHarness
        let op: RunningOperator
        let leases: NamespaceLeaseRuntime
        let task: Task<Void, Never>

        static func start(_ h: OperatorHarness) -> Running {
            var wired: NamespaceLeaseRuntime?
            let op = h.startOperator(wire: { runtime in
                wired = NamespaceLeaseRuntime(client: h.client, config: h.config, audit: h.audit, wallClock: h.clock.closure,
                                              logger: OperatorHarness.quiet, sharing: runtime)
            })
            let leases = wired!
            let task = Task { await leases.controller.run() }
            return Running(h: h, op: op, leases: leases, task: task)
        }

        func stop() async {
            task.cancel()
            await task.value
            await op.stop()
        }

        /// The reconcile the timer would run at the clock's current time (its Action is returned).
        /// The controller's workers reconcile the same key meanwhile: a 409 (our cached copy was
        /// stale) is retried once the cache has the API's version, as the controller would.
        func reconcile(_ namespace: String) async throws -> Action {
            while true {
                do {
                    return try await leases.reconciler.reconcile(ObjectKey(namespace: nil, name: namespace))
                } catch let error as KubeError where error.isConflict {
                    let current = try await runNamespace(namespace)?.metadata.resourceVersion
                    try await waitForCache("RunNamespace \(namespace) at \(current ?? "-")") {
                        leases.controller.store.get(ObjectKey(namespace: nil, name: namespace))?.metadata.resourceVersion == current
                    }
                }
            }
        }

        func runNamespace(_ name: String) async throws -> RunNamespace? {
            do { return try await h.client.get(RunNamespace.self, name: name) } catch where error.isNotFound { return nil }
        }

        func namespace(_ name: String) async throws -> Namespace? {
            do { return try await h.client.get(Namespace.self, name: name) } catch where error.isNotFound { return nil }
        }

        /// Waits until the API and then the lease controller's cache show `check` true.
        ///
        /// Two waits, not one check of both on each RunNamespace event: the test's watch can deliver
        /// the last change before the controller's cache has applied it, and then no further event
        /// comes — such a wait used to end only at the next watch BOOKMARK, 60 s later.
        func waitForRunNamespace(_ name: String, _ what: String, _ check: @escaping (RunNamespace?) -> Bool) async throws {
            try await h.waitUntil("RunNamespace \(name): \(what)", watching: RunNamespace.self) { check(try await runNamespace(name)) }
            try await waitForCache("RunNamespace \(name) cached: \(what)") {
                check(leases.controller.store.get(ObjectKey(namespace: nil, name: name)))
            }
        }

        /// Polls the lease controller's cache (it has no change notification) until `check` holds;
        /// the API already shows the state, so this is the cache's watch latency, not a timeout.
        func waitForCache(_ what: String, _ check: () -> Bool) async throws {
            try await Self.waitFor(what, check)
        }

        static func waitFor(_ what: String, _ check: () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(120)
            while !check() {
                guard ContinuousClock.now < deadline else { throw HarnessTimeout(what: what) }
                try await Task.sleep(for: .milliseconds(1))
            }
        }

        /// Starts run `name`, lets its pod run, then finishes it after `runFor` seconds of clock time.
        func runToCompletion(_ run: AgentRun, runFor: Double) async throws -> AgentRun {
            let name = run.metadata.name ?? ""
            let admitted = try await h.waitForRun(name, "a namespace") { $0.status?.namespace != nil && $0.status?.jobName != nil }
            try await h.podRunning(admitted)
            _ = try await h.waitForPhase(name, .running)
            h.clock.advance(seconds: runFor)
            try await h.podFinished(admitted, exitCode: 0)
            let done = try await h.waitForPhase(name, .succeeded)
            // The lease reconciler has seen the run end (it scheduled the lease).
            try await waitForRunNamespace(done.status?.namespace ?? "", "no active run") { $0?.status?.activeRuns == [] }
            return done
        }
    }

    static func seconds(_ action: Action) -> Double? {
        if case .requeue(let after) = action {
            let c = after.components
            return Double(c.seconds) + Double(c.attoseconds) / 1e18
        }
        return nil
    }

    @Test func aFinishedRunsLeaseIsScheduledMirroredAndExpiredExactlyAtItsEnd() async throws {
        try await OperatorHarness.with(customize: { $0.namespaceTTL.byRole[.dev] = .hours(2) }) { h in
            let r = Running.start(h)
            let start = KubeTime(h.clock.now)
            let done = try await r.runToCompletion(try await h.createRun("ttl-1", stage: .dev), runFor: 1800)
            let ns = done.status?.namespace ?? ""
            let leaseEnd = start.adding(seconds: 2 * 3600) // now + ttl(dev) at admission

            // Scheduled: status and the Namespace annotation say when; the key comes back exactly then.
            let rns = try #require(try await r.runNamespace(ns))
            #expect(rns.status?.phase == .active && rns.status?.leaseExpiresAt == leaseEnd && rns.status?.lastRun == "ttl-1")
            #expect(try await r.namespace(ns)?.metadata.annotations?[RunLabels.leaseAnnotation] == leaseEnd.rfc3339)
            #expect(Self.seconds(try await r.reconcile(ns)) == 2 * 3600 - 1800)
            try await h.audit.waitFor(run: "ttl-1", "run.namespace.ttl_scheduled")

            // One second early: nothing is deleted.
            h.clock.advance(seconds: 2 * 3600 - 1800 - 1)
            #expect(Self.seconds(try await r.reconcile(ns)) == 1)
            #expect(try await r.namespace(ns)?.metadata.deletionTimestamp == nil)

            // At the end: the Namespace goes, then the RunNamespace.
            h.clock.advance(seconds: 1)
            r.leases.requeueAll()
            try await h.waitUntil("namespace \(ns) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = try await r.namespace(ns) == nil
                let recordGone = try await r.runNamespace(ns) == nil
                return gone && recordGone
            }
            try await h.audit.waitFor(run: "ttl-1", "run.namespace.cleaned") // emitted after the delete
            if let server = h.server {
                // The expiry read the RunNamespace from the API before deleting the Namespace.
                let log = server.requests.all
                let deleteNS = try #require(log.lastIndex { $0.verb == "delete" && $0.resource == "namespaces" && $0.name == ns })
                #expect(log[..<deleteNS].contains { $0.verb == "get" && $0.resource.hasPrefix("runnamespaces") && $0.name == ns })
                let deleteRNS = try #require(log.lastIndex { $0.verb == "delete" && $0.resource.hasPrefix("runnamespaces") && $0.name == ns })
                #expect(deleteNS < deleteRNS)
            }
            await r.stop()
        }
    }

    @Test func aRunningRunHoldsItsNamespacePastTheLease() async throws {
        try await OperatorHarness.with(customize: { $0.namespaceTTL.byRole[.dev] = .hours(1) }) { h in
            let r = Running.start(h)
            try await h.createRun("hold-1", stage: .dev, timeout: .hours(10)) // the run must not time out meanwhile
            let admitted = try await h.waitForRun("hold-1", "a namespace") { $0.status?.jobName != nil }
            let ns = admitted.status?.namespace ?? ""
            try await h.podRunning(admitted)
            _ = try await h.waitForPhase("hold-1", .running)
            try await r.waitForRunNamespace(ns, "hold-1 active") { $0?.status?.activeRuns == ["hold-1"] }

            // Five hours past a one-hour lease: held, nothing scheduled, nothing deleted.
            h.clock.advance(seconds: 5 * 3600)
            #expect(try await r.reconcile(ns) == .awaitChange)
            #expect(try await r.namespace(ns)?.metadata.deletionTimestamp == nil)
            #expect(try await r.runNamespace(ns)?.status?.phase == .active)

            // The run ends: its lease is long over, so the namespace goes now.
            try await h.podFinished(admitted, exitCode: 0)
            _ = try await h.waitForPhase("hold-1", .succeeded)
            try await h.waitUntil("namespace \(ns) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = try await r.namespace(ns) == nil
                let recordGone = try await r.runNamespace(ns) == nil
                return gone && recordGone
            }
            await r.stop()
        }
    }
}

extension NamespaceLeaseTests {
    @Test func aDebugNamespaceIsRetainedUntilDebugMaxRetentionThenExpires() async throws {
        try await OperatorHarness.with(customize: { $0.namespaceTTL.byRole[.dev] = .hours(1) }) { h in
            let r = Running.start(h)
            var spec = AgentRunSpec(repository: "acme/shop", issue: 42, stage: .dev)
            spec.debug = true
            let run = try await h.client.create(AgentRun(metadata: ObjectMeta(name: "dbg-1", namespace: h.config.controlNamespace),
                                                         spec: spec))
            let done = try await r.runToCompletion(run, runFor: 60)
            let ns = done.status?.namespace ?? ""
            let finished = try #require(done.status?.finishedAt)

            // Past its lease: Retained (cleanup_skipped, debug_label_present) until finish + 72h.
            h.clock.advance(seconds: 2 * 3600)
            #expect(Self.seconds(try await r.reconcile(ns)) == finished.secondsSince1970 + 72 * 3600 - KubeTime(h.clock.now).secondsSince1970)
            #expect(try await r.runNamespace(ns)?.status?.phase == .retained)
            #expect(try await r.namespace(ns)?.metadata.deletionTimestamp == nil)
            try await h.audit.waitFor(run: "dbg-1", "run.namespace.cleanup_skipped")

            h.clock.advance(seconds: 72 * 3600)
            r.leases.requeueAll()
            try await h.waitUntil("namespace \(ns) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = try await r.namespace(ns) == nil
                let recordGone = try await r.runNamespace(ns) == nil
                return gone && recordGone
            }
            await r.stop()
        }
    }

    @Test func aCodeOnlyNamespaceEndsCodeOnlyGraceAfterItsRun() async throws {
        try await OperatorHarness.with { h in
            let r = Running.start(h)
            let done = try await r.runToCompletion(try await h.createRun("co-1", stage: .plan), runFor: 60)
            #expect(done.status?.mode == .codeOnly)
            let ns = done.status?.namespace ?? ""
            let finished = try #require(done.status?.finishedAt)
            let end = finished.adding(seconds: 600)
            #expect(try await r.runNamespace(ns)?.status?.leaseExpiresAt == end)
            // The annotation is mirrored right after the status write.
            try await h.waitUntil("lease annotation of \(ns)", watching: Namespace.self) {
                try await r.namespace(ns)?.metadata.annotations?[RunLabels.leaseAnnotation] == end.rfc3339
            }
            h.clock.advance(seconds: 600)
            r.leases.requeueAll()
            try await h.waitUntil("namespace \(ns) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = try await r.namespace(ns) == nil
                let recordGone = try await r.runNamespace(ns) == nil
                return gone && recordGone
            }
            try await h.audit.waitFor(run: "co-1", "run.namespace.cleaned") // emitted after the delete
            await r.stop()
        }
    }
}

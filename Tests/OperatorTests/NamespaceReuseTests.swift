import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Operator
import Runs
import Synchronization
import Testing

/// Revise reuse over HTTP (SPEC §6): a revise run reuses the Active, leased namespace of its
/// repository+issue+stage and extends the lease from now (one conditional status write), or gets a
/// fresh namespace and an audited `reuse_missed` with the cause. Injected clock; runs unchanged on
/// a real cluster (the 409 is made by a real concurrent write from the fault point).
@Suite(.serialized) struct NamespaceReuseTests {
    /// Creates run `name` of acme/shop#42 and drives it to Succeeded (pod Running, then exit 0).
    static func complete(_ h: OperatorHarness, _ name: String, stage: Stage = .dev, revise: Bool = false,
                         mode: RunMode? = nil) async throws -> AgentRun {
        try await create(h, name, stage: stage, revise: revise, mode: mode)
        let admitted = try await h.waitForRun(name, "a job") { $0.status?.jobName != nil }
        try await h.podRunning(admitted)
        _ = try await h.waitForPhase(name, .running)
        try await h.podFinished(admitted, exitCode: 0)
        return try await h.waitForPhase(name, .succeeded)
    }

    @discardableResult
    static func create(_ h: OperatorHarness, _ name: String, issue: Int64 = 42, stage: Stage = .dev, revise: Bool = false,
                       mode: RunMode? = nil) async throws -> AgentRun {
        var spec = AgentRunSpec(repository: "acme/shop", issue: issue, stage: stage, revise: revise)
        spec.mode = mode
        spec.timeout = .hours(100)
        return try await h.client.create(AgentRun(metadata: ObjectMeta(name: name, namespace: h.config.controlNamespace), spec: spec))
    }

    /// Waits until the revise run was placed (it has a namespace) and returns it.
    static func placed(_ h: OperatorHarness, _ name: String) async throws -> AgentRun {
        try await h.waitForRun(name, "a namespace") { $0.status?.namespace != nil && $0.status?.jobName != nil }
    }

    /// The `reuse_missed` records of `run` (waits for the first: it is emitted after the status write).
    static func reuseMissed(_ h: OperatorHarness, _ run: String) async throws -> [AuditRecord] {
        try await h.audit.waitFor(run: run, "run.namespace.reuse_missed")
        return h.audit.records(run: run).filter { $0.event.name == .namespaceReuseMissed }
    }

    @Test func aReviseReusesTheActiveLeasedNamespaceAndExtendsItsLeaseFromNow() async throws {
        try await OperatorHarness.with(customize: { $0.namespaceTTL.byRole[.dev] = .hours(2) }) { h in
            let r = NamespaceLeaseTests.Running.start(h)
            let first = try await Self.complete(h, "first")
            let ns = try #require(first.status?.namespace)

            h.clock.advance(seconds: 3600) // an hour into a two-hour lease
            let renewedAt = KubeTime(h.clock.now)
            try await Self.create(h, "rev", revise: true)
            let rev = try await Self.placed(h, "rev")
            #expect(rev.status?.namespace == ns && rev.status?.runNamespace == ns && rev.status?.reusedNamespace == true)
            #expect(rev.status?.leaseExpiresAt == renewedAt.adding(seconds: 2 * 3600))
            let rns = try await h.client.get(RunNamespace.self, name: ns)
            #expect(rns.status?.leaseRenewedAt == renewedAt && rns.status?.leaseExpiresAt == renewedAt.adding(seconds: 2 * 3600))
            #expect(rns.status?.renewals == 1 && rns.status?.lastRun == "rev" && rns.status?.phase == .active)
            // Mirrored on the Namespace (the lease controller, acting on a cache that has not seen the
            // renewal yet, may rewrite the old value for a moment; the renewal's event corrects it).
            try await h.waitUntil("lease annotation of \(ns)", watching: Namespace.self) {
                try await h.client.get(Namespace.self, name: ns).metadata.annotations?[RunLabels.leaseAnnotation]
                    == renewedAt.adding(seconds: 2 * 3600).rfc3339
            }
            try await h.audit.waitFor(run: "rev", "run.namespace.ttl_extended")
            let names = h.audit.names(run: "rev")
            #expect(names.contains("run.namespace.reused") && names.contains("run.namespace.ttl_extended"))
            #expect(!names.contains("run.namespace.reuse_missed"))

            // The revise runs in the reused namespace (its own Job there) and, past the first lease, it lives on.
            _ = try await h.waitUntil("job of rev in \(ns)", watching: Job.self, namespace: ns) {
                (try? await h.client.get(Job.self, namespace: ns, name: "rev")) != nil
            }
            try await h.podRunning(rev)
            _ = try await h.waitForPhase("rev", .running)
            h.clock.advance(seconds: 3600) // the first lease (admission + 2h) ends now; the renewed one in an hour
            r.leases.requeueAll()
            try await h.podFinished(rev, exitCode: 0)
            _ = try await h.waitForPhase("rev", .succeeded)
            try await r.waitForRunNamespace(ns, "no active run after rev") { $0?.status?.activeRuns == [] }
            #expect(try await r.reconcile(ns) == .requeue(after: .seconds(3600)))
            #expect(try await h.client.get(Namespace.self, name: ns).metadata.deletionTimestamp == nil)
            await r.stop()
        }
    }

    @Test func aReviseWithoutAnyNamespaceOfItsKeyGetsAFreshOneMissing() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            try await Self.create(h, "lonely", revise: true)
            let run = try await Self.placed(h, "lonely")
            #expect(run.status?.reusedNamespace == false)
            let missed = try #require(try await Self.reuseMissed(h, "lonely").first)
            #expect(missed.payload["cause"] == "missing" && missed.payload["previousNamespace"] == nil)
            try await h.waitUntil("the job of lonely", watching: Job.self) { try await h.objects(of: run)["Job"] == 1 }
            #expect(try await h.objects(of: run) == OperatorHarness.oneOfEach)
            await op.stop()
        }
    }

    @Test func aReviseAfterTheLeaseEndedGetsAFreshOneExpired() async throws {
        try await OperatorHarness.with(customize: { $0.namespaceTTL.byRole[.dev] = .hours(1) }) { h in
            let op = h.startOperator()
            let first = try await Self.complete(h, "first")
            let old = try #require(first.status?.namespace)
            h.clock.advance(seconds: 3600) // the lease ends exactly now
            try await Self.create(h, "late", revise: true)
            let run = try await Self.placed(h, "late")
            #expect(run.status?.namespace != old && run.status?.reusedNamespace == false)
            let missed = try #require(try await Self.reuseMissed(h, "late").first)
            #expect(missed.payload["cause"] == "expired" && missed.payload["previousNamespace"] == .string(old))
            // The expired namespace was not renewed.
            #expect(try await h.client.get(RunNamespace.self, name: old).status?.renewals == 0)
            await op.stop()
        }
    }

    @Test func aReviseWhoseNamespaceIsBeingExpiredGetsAFreshOneTerminating() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let first = try await Self.complete(h, "first")
            let old = try #require(first.status?.namespace)
            // An expiry claimed it (what RunNamespaceReconciler writes before deleting anything).
            var rns = try await h.client.get(RunNamespace.self, name: old)
            rns.status?.phase = .expired
            _ = try await h.client.replaceStatus(rns)
            try await Self.create(h, "rev", revise: true)
            let run = try await Self.placed(h, "rev")
            #expect(run.status?.namespace != old && run.status?.reusedNamespace == false)
            let missed = try #require(try await Self.reuseMissed(h, "rev").first)
            #expect(missed.payload["cause"] == "terminating" && missed.payload["previousNamespace"] == .string(old))
            await op.stop()
        }
    }

    @Test func aReviseOfAnotherModeGetsAFreshOneModeDiffers() async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let first = try await Self.complete(h, "first") // dev: full-env
            #expect(first.status?.mode == .fullEnv)
            try await Self.create(h, "rev", revise: true, mode: .codeOnly)
            let run = try await Self.placed(h, "rev")
            #expect(run.status?.namespace != first.status?.namespace && run.status?.mode == .codeOnly)
            let missed = try #require(try await Self.reuseMissed(h, "rev").first)
            #expect(missed.payload["cause"] == "mode_differs" && missed.payload["previousNamespace"] == first.status?.namespace.map { .string($0) })
            await op.stop()
        }
    }
}

extension NamespaceReuseTests {
    /// The renewal is conditional on the resourceVersion read: a write in between makes it 409, and
    /// the revise reads again and decides on what is there now.
    @Test(arguments: [false, true]) func aConflictingWriteBetweenReadAndRenewalIsReadAgainAndDecidedAgain(_ claimed: Bool) async throws {
        try await OperatorHarness.with { h in
            let op = h.startOperator()
            let first = try await Self.complete(h, "first")
            let ns = try #require(first.status?.namespace)
            let reached = Mutex(0)
            let client = h.client
            op.runtime.reconciler.faultPoints.set { point in
                guard point == "renew RunNamespace \(ns)", reached.withLock({ $0 += 1; return $0 }) == 1 else { return }
                // Between the revise's read and its write: an expiry's claim, or any other status write.
                guard var rns = try? await client.get(RunNamespace.self, name: ns) else { return }
                if claimed { rns.status?.phase = .expired } else { rns.status?.conditions = [
                    Condition(type: "Touched", status: "True", reason: "Test", lastTransitionTime: KubeTime(secondsSince1970: 0)),
                ] }
                _ = try? await client.replaceStatus(rns)
            }
            try await Self.create(h, "rev", revise: true)
            let run = try await Self.placed(h, "rev")
            if claimed {
                #expect(run.status?.namespace != ns && run.status?.reusedNamespace == false)
                #expect(try await Self.reuseMissed(h, "rev").first?.payload["cause"] == "terminating")
                #expect(reached.withLock { $0 } == 1)
                #expect(try await h.client.get(RunNamespace.self, name: ns).status?.phase == .expired)
            } else {
                #expect(run.status?.namespace == ns && run.status?.reusedNamespace == true)
                #expect(reached.withLock { $0 } == 2) // read, 409, read again, renewed
                let rns = try await h.client.get(RunNamespace.self, name: ns)
                #expect(rns.status?.renewals == 1 && rns.status?.activeRuns?.contains("rev") == true && rns.status?.conditions?.first?.type == "Touched")
            }
            if let server = h.server {
                #expect(server.requests.all.contains { $0.verb == "update" && $0.resource.hasPrefix("runnamespaces") && $0.name == ns && $0.code == 409 })
            }
            await op.stop()
        }
    }
}

import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Operator
import Runs
import Testing

/// Supersede end to end (SPEC §6): a new non-revise run of the same repository+issue+stage gets a
/// fresh namespace, and the old namespace's lease ends `supersededGrace` after the new run's
/// admission — decided as soon as it is admitted, not when the old lease comes due. Injected clock;
/// runs unchanged on a real cluster.
@Suite(.serialized) struct NamespaceSupersedeTests {
    @Test func aNewNonReviseRunEndsTheOldNamespacesLeaseSupersededGraceAfterItsAdmission() async throws {
        try await OperatorHarness.with { h in
            let r = NamespaceLeaseTests.Running.start(h)
            let first = try await r.runToCompletion(try await h.createRun("a", stage: .dev), runFor: 60)
            let old = try #require(first.status?.namespace)
            h.clock.advance(seconds: 3600) // well inside the 24h lease
            let admittedAt = KubeTime(h.clock.now)
            try await h.createRun("b", stage: .dev, timeout: .hours(100))
            let b = try await h.waitForRun("b", "a namespace") { $0.status?.namespace != nil }
            let fresh = try #require(b.status?.namespace)
            #expect(fresh != old && b.status?.reusedNamespace == false)

            // The old lease now ends supersededGrace (15m) after b's admission: status, annotation, audit.
            let end = admittedAt.adding(seconds: 15 * 60)
            try await r.waitForRunNamespace(old, "superseded lease") { $0?.status?.leaseExpiresAt == end }
            try await h.waitUntil("lease annotation of \(old)", watching: Namespace.self) {
                try await r.namespace(old)?.metadata.annotations?[RunLabels.leaseAnnotation] == end.rfc3339
            }
            try await h.audit.waitFor(run: "a", "run.namespace.superseded")

            h.clock.advance(seconds: 15 * 60 - 1)
            #expect(NamespaceLeaseTests.seconds(try await r.reconcile(old)) == 1)
            #expect(try await r.namespace(old)?.metadata.deletionTimestamp == nil)
            h.clock.advance(seconds: 1)
            r.leases.requeueAll()
            try await h.waitUntil("namespace \(old) and its RunNamespace gone", watching: RunNamespace.self) {
                let gone = try await r.namespace(old) == nil
                let recordGone = try await r.runNamespace(old) == nil
                return gone && recordGone
            }
            // The superseding run's namespace is untouched (its run is not even running yet).
            #expect(try await r.namespace(fresh)?.metadata.deletionTimestamp == nil)
            #expect(try await r.runNamespace(fresh)?.status?.phase == .active)
            await r.stop()
        }
    }
}

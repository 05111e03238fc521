import KubeAPI
import Testing
@testable import KubeRuntime

private final class FakeFinalizerClient: FinalizerClient {
    let writes = Locked<[[String]]>([])
    let conflict = Locked(false)

    func setFinalizers(_ finalizers: [String], of object: Widget) async throws -> Widget {
        if conflict.value { throw Status(reason: "Conflict", code: 409) }
        writes.withLock { $0.append(finalizers) }
        var o = object
        o.metadata.finalizers = finalizers
        return o
    }
}

@Suite struct FinalizerTests {
    let name = "codex-k8s.dev/cleanup"

    func widget(finalizers: [String]?, deleting: Bool) -> Widget {
        var w = Widget("a")
        w.metadata.finalizers = finalizers
        if deleting { w.metadata.deletionTimestamp = KubeTime(secondsSince1970: 1_800_000_000) }
        return w
    }

    @Test func addsTheFinalizerBeforeAnyApply() async throws {
        let client = FakeFinalizerClient()
        let seen = Locked<[String]>([])
        let action = try await reconcileWithFinalizer(widget(finalizers: ["other"], deleting: false), finalizer: name,
                                                      client: client) { _ in
            seen.withLock { $0.append("handled") }
            return .awaitChange
        }
        #expect(action == .awaitChange)
        #expect(seen.value.isEmpty)
        #expect(client.writes.value == [["other", name]])
    }

    @Test func appliesWhenPresentWithoutWriting() async throws {
        let client = FakeFinalizerClient()
        let action = try await reconcileWithFinalizer(widget(finalizers: [name], deleting: false), finalizer: name,
                                                      client: client) { event in
            guard case .apply = event else { Issue.record("expected apply"); return .awaitChange }
            return .requeue(after: .seconds(5))
        }
        #expect(action == .requeue(after: .seconds(5)))
        #expect(client.writes.value.isEmpty, "idempotent: nothing written when already present")
    }

    @Test func cleanupRunsToSuccessBeforeRemoval() async throws {
        let client = FakeFinalizerClient()
        let deleting = widget(finalizers: ["other", name], deleting: true)
        await #expect(throws: FakeTransportError.self) {
            _ = try await reconcileWithFinalizer(deleting, finalizer: name, client: client) { _ in
                throw FakeTransportError()
            }
        }
        #expect(client.writes.value.isEmpty, "a failed cleanup keeps the finalizer")
        let cleaned = Locked(0)
        _ = try await reconcileWithFinalizer(deleting, finalizer: name, client: client) { event in
            guard case .cleanup = event else { Issue.record("expected cleanup"); return .awaitChange }
            cleaned.withLock { $0 += 1 }
            return .awaitChange
        }
        #expect(cleaned.value == 1)
        #expect(client.writes.value == [["other"]], "only our finalizer is removed")
        // Already removed: nothing runs, nothing is written.
        _ = try await reconcileWithFinalizer(widget(finalizers: ["other"], deleting: true), finalizer: name,
                                             client: client) { _ in
            Issue.record("no handler call once our finalizer is gone")
            return .awaitChange
        }
        #expect(client.writes.value.count == 1)
    }

    @Test func aConflictOnRemovalPropagatesAndCleanupRunsAgainLater() async throws {
        let client = FakeFinalizerClient()
        client.conflict.withLock { $0 = true }
        let runs = Locked(0)
        let deleting = widget(finalizers: [name], deleting: true)
        await #expect(throws: Status.self) {
            _ = try await reconcileWithFinalizer(deleting, finalizer: name, client: client) { _ in
                runs.withLock { $0 += 1 }
                return .awaitChange
            }
        }
        client.conflict.withLock { $0 = false }
        _ = try await reconcileWithFinalizer(deleting, finalizer: name, client: client) { _ in
            runs.withLock { $0 += 1 }
            return .awaitChange
        }
        #expect(runs.value == 2)
        #expect(client.writes.value == [[]])
    }
}

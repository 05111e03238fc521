import KubeAPI
import KubeClient
import KubeTestServer
import Testing
@testable import KubeRuntime

/// Controller, events and finalizers over real HTTP against KubeTestServer.
@Suite(.timeLimit(.minutes(4))) struct ControllerHTTPTests {
    /// 1,000 watch events over 100 keys reconciled by 8 workers: never two workers on one key, and
    /// each key's last reconcile saw its final resourceVersion (no lost update).
    @Test func thousandEventsOverHundredKeysWithEightWorkersNeverOverlap() async throws {
        try await TestAPI.withServer { api in
            struct Tally: Sendable {
                var inFlight: Set<ObjectKey> = []
                var overlaps = 0
                var reconciles = 0
                var lastSeen: [ObjectKey: String] = [:]
            }
            let tally = Locked(Tally())
            let progress = AsyncStream<Void>.makeStream()
            let box = Locked<KubeRuntime.Store<ConfigMap>?>(nil)
            let controller = Controller(name: "configmaps",
                                        primary: KubeClientListWatch<ConfigMap>(client: TestAPI.client(api.server),
                                                                                namespace: "default"),
                                        workers: 8, backoff: fastBackoff, logger: quietLogger) { key in
                tally.withLock { t in
                    if !t.inFlight.insert(key).inserted { t.overlaps += 1 }
                    t.reconciles += 1
                }
                await Task.yield()
                let rv = box.value?.get(key)?.metadata.resourceVersion
                await Task.yield()
                tally.withLock { t in
                    t.inFlight.remove(key)
                    t.lastSeen[key] = rv ?? "deleted"
                }
                progress.continuation.yield()
                return .awaitChange
            }
            box.withLock { $0 = controller.store }
            let run = Task { await controller.run() }
            defer { run.cancel() }
            // 100 creates + 900 updates = 1,000 events, written by 8 concurrent writers.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<8 {
                    group.addTask {
                        let admin = TestAPI.client(api.server)
                        for k in stride(from: w, to: 100, by: 8) {
                            _ = try await admin.create(ConfigMap("cm-\(k)", data: ["v": "0"]))
                            for v in 1...9 { _ = try await admin.replace(ConfigMap("cm-\(k)", data: ["v": "\(v)"])) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = try await api.serverState()
            #expect(expected.count == 100)
            var it = progress.stream.makeAsyncIterator()
            while tally.value.lastSeen != expected, await it.next() != nil {}
            let t = tally.value
            #expect(t.overlaps == 0)
            #expect(t.lastSeen == expected)
            #expect(t.reconciles >= 100 && t.reconciles <= 1000, "coalesced: \(t.reconciles) reconciles")
            run.cancel()
            await run.value
        }
    }

    @Test func eventsAggregateIntoOneSeriesOverHTTP() async throws {
        try await TestAPI.withServer { api in
            let cm = try await api.admin.create(ConfigMap("subject"))
            let recorder = EventRecorder(sink: KubeClientEventSink(client: TestAPI.client(api.server)),
                                         reportingController: "codex-k8s.dev/operator", reportingInstance: "pod-1",
                                         logger: quietLogger)
            for _ in 0..<5 {
                await recorder.record(regarding: ObjectReference(cm), type: .warning, reason: "WaitingForSlot",
                                      action: "Admit", note: "20 runs active")
            }
            await recorder.record(regarding: ObjectReference(cm), type: .normal, reason: "Provisioned", action: "Provision")
            let events = try await api.admin.list(Event.self, namespace: "default").items
            #expect(events.count == 2)
            let waiting = try #require(events.first { $0.reason == "WaitingForSlot" })
            #expect(waiting.series?.count == 5)
            #expect(waiting.regarding?.name == "subject" && waiting.regarding?.kind == "ConfigMap")
            #expect(waiting.reportingController == "codex-k8s.dev/operator" && waiting.type == "Warning")
            #expect(events.first { $0.reason == "Provisioned" }?.series == nil)
        }
    }

    @Test func finalizerCleanupRunsToSuccessBeforeRemovalOverHTTP() async throws {
        try await TestAPI.withServer { api in
            let client = KubeClientFinalizerClient<ConfigMap>(client: TestAPI.client(api.server))
            let finalizer = "codex-k8s.dev/cleanup"
            _ = try await api.admin.create(ConfigMap("cm"))
            let handle: (FinalizerEvent<ConfigMap>) async throws -> Action = { _ in .awaitChange }
            var cm = try await api.admin.get(ConfigMap.self, namespace: "default", name: "cm")
            _ = try await reconcileWithFinalizer(cm, finalizer: finalizer, client: client, handle: handle)
            cm = try await api.admin.get(ConfigMap.self, namespace: "default", name: "cm")
            #expect(cm.metadata.finalizers == [finalizer])
            // A stale object (old resourceVersion) cannot change the finalizers.
            var stale = cm
            stale.metadata.resourceVersion = "1"
            let staleWrite = await #expect(throws: KubeError.self) { _ = try await client.setFinalizers([], of: stale) }
            // The write is conditional on the resourceVersion (a JSON-patch test, which the API
            // server rejects as 422 Invalid with its generic text and nothing more; a conditional
            // update would be a 409 Conflict).
            let rejectedAsStale: Bool = switch staleWrite {
            case .conflict?: true
            case .invalid(_, _, let message, _)?: message == "the server rejected our request due to an error in our request"
            default: false
            }
            #expect(rejectedAsStale, "a stale write is rejected as stale, not \(String(describing: staleWrite))")

            try await api.admin.delete(ConfigMap.self, namespace: "default", name: "cm")
            cm = try await api.admin.get(ConfigMap.self, namespace: "default", name: "cm")
            #expect(cm.metadata.deletionTimestamp != nil, "held by the finalizer")
            await #expect(throws: FakeTransportError.self) {
                _ = try await reconcileWithFinalizer(cm, finalizer: finalizer, client: client) { _ in throw FakeTransportError() }
            }
            cm = try await api.admin.get(ConfigMap.self, namespace: "default", name: "cm")
            #expect(cm.metadata.finalizers == [finalizer], "failed cleanup keeps the finalizer")
            let cleaned = Locked(0)
            _ = try await reconcileWithFinalizer(cm, finalizer: finalizer, client: client) { event in
                if case .cleanup = event { cleaned.withLock { $0 += 1 } }
                return .awaitChange
            }
            #expect(cleaned.value == 1)
            let gone = await #expect(throws: KubeError.self) {
                _ = try await api.admin.get(ConfigMap.self, namespace: "default", name: "cm")
            }
            #expect(gone?.isNotFound == true, "deleted once the finalizer is removed, not \(String(describing: gone))")
        }
    }
}
